import type { NodeLocales } from '@tributary/node-sdk';
import { sendFieldsLocale } from '../shared/notify-node.util.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const emailNotifyNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '发送邮件',
    description: '通过 `smtp` 连接的 SMTP 服务器为每条数据发送一封邮件。收件人取自数据字段和/或固定列表；主题、正文和 HTML 是带 `{{field}}` 占位符的模板（HTML 正文中插入的值会转义），也可以用 JSONata 表达式生成。被拒收的收件人或邮件发往 `error`；服务器无法连接或返回 4xx 时会重试。Message-ID 在重试间保持不变。',
    ports: { out: '已发送', error: '出错' },
    config: {
      ...sendFieldsLocale,
      '/properties/connection': { title: '连接', description: '`smtp` 连接（主机、端口、加密、用户名、密码、发件人）。' },
      '/properties/toField': { title: '收件人字段', description: '存放邮箱地址的数据字段（也可以是列表或逗号分隔的字符串），例如 `owner.email`（customer.assign 选出的负责人）、`task.owner.email`（customer.task 之后）或 `email`（客户本人）。' },
      '/properties/to': { title: '固定收件人', description: '每封邮件都发送的地址，例如团队邮箱。' },
      '/properties/ccField': { title: '抄送字段', description: '存放更多抄送地址的数据字段。' },
      '/properties/cc': { title: '抄送', description: '每封邮件都抄送的地址。' },
      '/properties/bcc': { title: '密送', description: '每封邮件都密送的地址。' },
      '/properties/replyTo': { title: '回复地址', description: '回复不发给发件人时的回复地址。' },
      '/properties/subject': { title: '主题', description: '可用 `{{field}}` 占位符，例如 `新线索：{{name}}（{{company}}）`。' },
      '/properties/text': { title: '纯文本正文', description: '带 `{{field}}` 占位符的纯文本。' },
      '/properties/html': { title: 'HTML 正文', description: '带 `{{field}}` 占位符的 HTML；插入的值会做 HTML 转义。' },
      '/properties/messageExpression': { title: '邮件内容（JSONata）', description: '代替（或补充）模板：根据数据生成 `{ "subject": …, "text": …, "html": … }`；它返回的字段会替换模板中的对应内容。' },
      '/properties/timeoutMs': { title: '超时（毫秒）', description: '用于建立连接、等待欢迎消息和每条 SMTP 命令。' },
    },
  },
};
