import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomCallbackTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '企业微信客户联系',
    description: '接收企业微信回调：响应 URL 验证，校验 msg_signature，解密（WXBizMsgCrypt）并核对 CorpID，回复 `success`，每次客户联系变更（添加、编辑、删除客户等）输出一条数据，包含 `wecom_external_userid`、`eventType`、跟进员工和渠道（State）。连接中配置了客户联系 Secret 时，会获取客户详情（externalcontact/get），补充 `name`、`company`、`title`、备注手机号（作为 `phone`）和 `wechat_unionid`。',
    config: {
      '/properties/connection': { title: '连接', description: '企业微信连接：`token`、`encodingAesKey`、`corpId`，获取客户详情还需客户联系 `secret`。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '签名时间戳与当前时间允许相差的秒数；更早的回调视为重放并拒绝。0 表示不检查。' },
      '/properties/events': { title: '事件', description: 'external_contact：只有客户联系变更（change_external_contact）启动运行，其他回调确认后丢弃。all：所有消息和事件。', enumNames: ['仅客户联系变更', '全部'] },
      '/properties/fetchContact': { title: '获取客户详情', description: '连接中有客户联系 Secret 时，获取每个客户（externalcontact/get）的姓名、公司、备注手机号和 unionid。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '企业微信 API 地址；默认取连接的 apiBaseUrl，否则为 https://qyapi.weixin.qq.com（私有化部署有自己的地址）。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '允许 API 基础 URL 指向回环或私有地址（私有化部署、本地代理、测试地址）。' },
    },
  },
};
