import type { NodeLocales } from '@tributary/node-sdk';
import { vendorApiFieldsLocale } from '../shared/config-fields.schema.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const metaLeadAdsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Meta 线索广告',
    description: 'Facebook 或 Instagram 线索表单每有一条新线索就启动一次运行。响应 Meta 的 Webhook 验证，校验原始请求体的 X-Hub-Signature-256，再用连接中的主页令牌通过 Graph API 获取线索（姓名、手机、邮箱、城市、公司、职位、自定义问题）。每个 leadgen_id 只运行一次，无论 Meta 重发多少次。',
    config: {
      ...vendorApiFieldsLocale,
      '/properties/connection': { title: '连接', description: '保存 verifyToken、appSecret 和 accessToken 的 meta 连接。' },
      '/properties/graphBaseUrl': { title: 'Graph API 基础 URL' },
      '/properties/graphVersion': { title: 'Graph API 版本', description: '例如 v21.0' },
      '/properties/fields': { title: '线索字段', description: '每条线索向 Graph API 请求的字段（逗号分隔，不含空格）。' },
      '/properties/appsecretProof': { title: '发送 appsecret_proof', description: '用应用密钥为 Graph 调用签名（应用开启“要求应用密钥”时必须）。' },
    },
  },
};
