import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const customerConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '客户',
    description: '规范化客户数据（手机号、邮箱、姓名、公司，支持中文格式），与内置客户库匹配（识别）并写入客户库（保存）。',
  },
};
