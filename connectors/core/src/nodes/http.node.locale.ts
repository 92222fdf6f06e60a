import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const httpNodeLocales: NodeLocales = {
  'zh-CN': {
    title: 'HTTP 请求',
    description: '每条数据调用一次 HTTP 接口，并把响应加到数据中。5xx、429 和网络错误会重试；其他非 2xx 响应的数据发往 `error`。',
    ports: { out: '成功', error: '出错' },
    config: {
      '/properties/method': { title: '请求方法' },
      '/properties/url': { title: 'URL', description: '要调用的地址（http 或 https）。' },
      '/properties/urlExpression': { title: 'URL 表达式（JSONata）', description: '按每条数据生成 URL，代替固定地址，例如 `"https://api.example.com/contacts/" & $encodeUrlComponent(id)`。' },
      '/properties/headers': { title: '请求头', description: '请求头，例如 `{"x-api-key": "…"}`。' },
      '/properties/body': { title: '请求体', description: 'none：无请求体。item：以 JSON 发送当前数据。expression：以 JSON 发送请求体表达式的结果。', enumNames: ['无', '当前数据', '表达式结果'] },
      '/properties/bodyExpression': { title: '请求体表达式（JSONata）', description: '请求体为“表达式结果”时：根据当前数据生成 JSON 请求体。' },
      '/properties/timeoutMs': { title: '超时（毫秒）', description: '整个请求的时间上限，最多 120000。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '允许访问回环、链路本地和私有地址（默认关闭，避免流程误访问内部服务）。' },
      '/properties/responseField': { title: '响应字段', description: '存放 `{status, headers, body}` 的数据字段。' },
      '/properties/idempotencyHeader': { title: '幂等请求头', description: '设置后（例如 `Idempotency-Key`），每个请求都带一个在步骤重试时保持不变的键。' },
    },
  },
};
