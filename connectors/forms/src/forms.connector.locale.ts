import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const formsConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '网页表单',
    description: '接收任何以 JSON 或表单数据方式推送到 Webhook 地址的表单工具的提交（官网、Jotform、金数据、腾讯问卷等）。',
  },
};

export const typeformConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Typeform',
    description: '通过签名 Webhook 接收 Typeform 问卷回复。',
  },
};

export const jiandaoyunConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '简道云',
    description: '通过签名的数据推送接收简道云（Jodoo）表单数据。',
  },
};
