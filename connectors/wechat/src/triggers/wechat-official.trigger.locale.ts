import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wechatOfficialTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '微信公众号',
    description: '接收公众号推送的消息和事件：关注（带参数二维码的场景值）、取消关注、扫码（SCAN）、文本及其他消息。响应 URL 验证，校验签名（安全模式：msg_signature、AES 解密和 appId），回复 `success`，每次推送输出一条数据，包含 `wechat_openid`、`eventType`、`occurredAt`、场景值和文本。连接中配置了 appSecret 时，还会通过 user/info 补充 `wechat_unionid`。',
    config: {
      '/properties/connection': { title: '连接', description: '微信连接：`token`、`appId`、`encodingAesKey`（安全模式），查询 unionid 还需 `appSecret`。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '签名时间戳与当前时间允许相差的秒数；更早的推送视为重放并拒绝。微信约 15 秒内重试。0 表示不检查。' },
      '/properties/lookupUnionId': { title: '查询 unionid', description: '连接中有 appSecret 时，查询每个用户的 unionid（cgi-bin/user/info），以便在您的公众号、小程序和企业微信之间识别同一个人。公众号需绑定微信开放平台账号。' },
      '/properties/tokenEndpoint': { title: 'access_token 接口', description: 'stable_token（推荐）与公众号的其他系统共用同一个令牌；token（cgi-bin/token）每次调用都会使其他系统持有的令牌失效。', enumNames: ['stable_token（稳定版）', 'token（普通版）'] },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '微信 API 地址；默认取连接的 apiBaseUrl，否则为 https://api.weixin.qq.com。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '允许 API 基础 URL 指向回环或私有地址（本地代理或测试地址）。' },
    },
  },
};
