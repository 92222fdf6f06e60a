import type { NodeLocales } from '@tributary/node-sdk';
import { sendFieldsLocale } from '../shared/notify-node.util.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomNotifyNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '发送企业微信消息',
    description: '通过企业微信自建应用，向每条数据中指定的成员（例如客户负责人）或固定成员发送应用消息（文本、markdown 或文本卡片）。access_token 由所有 worker 共用，被企业微信拒绝时自动更新。企业微信无法送达的成员会使数据发往 `error`；频率限制和“系统繁忙”会重试。',
    ports: { out: '已发送', error: '出错' },
    config: {
      ...sendFieldsLocale,
      '/properties/connection': { title: '连接', description: '`wecom_app` 连接（自建应用的 corpId、agentId、secret）。' },
      '/properties/touserField': { title: '接收人字段', description: '存放成员企业微信 userid 的数据字段（也可以是列表，或用“|”连接的多个 ID）：customer.assign 之后用 `owner.wecomUserId`，customer.task 或 customer.task-check 之后用 `task.owner.wecomUserId`。' },
      '/properties/touser': { title: '固定接收人', description: '每条消息都发送的企业微信 userid（例如组长）。' },
      '/properties/msgtype': { title: '消息类型', description: 'text：文本；markdown：markdown（企业微信支持的子集）；textcard：文本卡片（标题、描述和链接）。', enumNames: ['文本', 'Markdown', '文本卡片'] },
      '/properties/content': { title: '内容', description: '带 `{{field}}` 占位符的文本（或 markdown，或文本卡片的描述），例如 `客户 {{name}}（{{phone}}）已 3 天未跟进，请尽快联系。`' },
      '/properties/title': { title: '卡片标题', description: '文本卡片的标题（最多 128 字节），可用占位符。' },
      '/properties/url': { title: '卡片链接', description: '文本卡片点击后打开的链接，可用占位符，例如 `https://crm.example.com/customers/{{customerId}}`。' },
      '/properties/btntxt': { title: '卡片按钮', description: '文本卡片的按钮文字（默认“详情”）。' },
      '/properties/messageExpression': { title: '消息内容（JSONata）', description: '代替模板：根据数据生成字符串（即内容）或 `{ "title": …, "description": …, "url": … }`。' },
      '/properties/duplicateCheckSeconds': { title: '企业微信重复消息检查（秒）', description: '在此时间内，企业微信对同一成员的相同消息只投递一次（enable_duplicate_check），超时后重发也在其内。0 表示关闭。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '默认 https://qyapi.weixin.qq.com；也可以是私有化部署或代理的地址。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '仅用于私有地址上的 API 基础 URL（私有化部署、测试）。' },
    },
  },
};
