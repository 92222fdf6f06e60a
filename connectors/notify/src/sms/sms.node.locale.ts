import type { NodeLocales } from '@tributary/node-sdk';
import { sendFieldsLocale } from '../shared/notify-node.util.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const smsNotifyNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '发送短信',
    description: '通过 `sms` 连接的服务商（阿里云短信）向每条数据中的手机号发送模板短信（中国大陆要求使用经服务商审核的模板和签名）。号码规范化为 E.164；不带国家码的号码按大陆手机号处理。服务商拒绝的号码和参数会使数据发往 `error`；限流和服务商故障会重试，未收到应答的发送会先按 OutId 查询，再决定是否重发。',
    ports: { out: '已发送', error: '出错' },
    config: {
      ...sendFieldsLocale,
      '/properties/connection': { title: '连接', description: '`sms` 连接（服务商、accessKeyId、accessKeySecret、签名）。' },
      '/properties/phoneField': { title: '手机号字段', description: '存放号码的数据字段，例如 `phone`（客户本人）、`owner.phone`（customer.assign 之后）或 `task.owner.phone`（customer.task 之后）。' },
      '/properties/to': { title: '固定号码', description: '代替字段：每条短信都发送的一个号码（例如值班经理）。' },
      '/properties/templateId': { title: '短信模板', description: '已审核的模板 CODE，例如 SMS_154950909。' },
      '/properties/templateIdField': { title: '模板字段', description: '代替固定模板：存放模板 CODE 的数据字段。' },
      '/properties/templateParams': { title: '模板参数', description: '带 `{{field}}` 占位符的模板变量，例如 `{"name": "{{name}}", "date": "{{dueAt}}"}`，对应 您好${name}，您预约的 ${date} 的回访… 这样的模板。' },
      '/properties/templateParamsExpression': { title: '模板参数（JSONata）', description: '根据数据生成模板变量，例如 `{ "name": $substring(name, 0, 10) }`；它的字段会替换上面的同名变量。' },
      '/properties/signName': { title: '短信签名', description: '发送时使用的已审核签名；默认为连接中的 signName。' },
      '/properties/allowInternational': { title: '国际号码', description: '允许发送到中国大陆以外的号码（需开通服务商的国际短信服务和模板）。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '默认 https://dysmsapi.aliyuncs.com；也可以是地域接入点或代理。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '仅用于私有地址上的 API 基础 URL（测试、本地网关）。' },
    },
  },
};
