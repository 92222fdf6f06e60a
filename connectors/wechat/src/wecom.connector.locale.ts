import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '企业微信',
    description: '企业微信客户联系回调：员工添加、编辑和删除的客户，并通过企业微信 API 获取客户详情。',
  },
};
