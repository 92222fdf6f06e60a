import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const smsConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: '短信（阿里云短信）',
    description: 'notify.sms 用来发送模板短信的短信服务商账号。',
    auth: {
      '/properties/provider': { title: '服务商', description: '短信服务商。默认 aliyun（阿里云短信，dysmsapi）。', enumNames: ['阿里云短信'] },
      '/properties/accessKeyId': { title: 'AccessKey ID', description: '具有 AliyunDysmsFullAccess 策略（或 dysms:SendSms、dysms:QuerySendDetails 和 dysms:GetSmsSign 权限）的 RAM 用户的 AccessKey ID。' },
      '/properties/accessKeySecret': { title: 'AccessKey Secret', description: '该 RAM 用户的 AccessKey Secret。' },
      '/properties/signName': { title: '短信签名', description: '发送时使用的已审核签名名称，例如 阿里云短信测试；节点可以覆盖。' },
      '/properties/regionId': { title: '地域', description: '可选：默认 cn-hangzhou。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '可选：默认 https://dysmsapi.aliyuncs.com。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '可选：“true”允许 apiBaseUrl 为回环或私有地址（测试、本地网关）。', enumNames: ['是', '否'] },
    },
  },
};
