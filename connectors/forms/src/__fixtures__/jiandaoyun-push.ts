// A 简道云 data push in the documented shape (hc.jiandaoyun.com/doc/10732, open/12359):
// POST <url>?timestamp=…&nonce=…, headers X-JDY-Signature and X-JDY-DeliverId, body
// {op, data} where data holds widget ids (or aliases) and record metadata.
export const jdySecret = 'JdyPushSecret-4c1b9e2f7a';
export const jdyTimestamp = '1748764800'; // 2025-06-01T08:00:00Z
export const jdyNonce = '0f5ade';
export const jdyDeliverId = '6d2f0c84a1b34f6c9e1d7a52';

export const jdyWidgets = [
  { name: '_widget_1616600963783', label: '客户姓名', type: 'text' },
  { name: '_widget_1616600963790', label: '手机', type: 'phone' },
  { name: '_widget_1616600963801', label: '公司名称', type: 'text' },
  { name: '_widget_1616600963812', label: '所在地区', type: 'address' },
  { name: 'budget', label: '预算（万元）', type: 'number' },
  { name: '_widget_1616600980550', label: '意向产品', type: 'subform' },
  { name: '_widget_1616600999001', label: '跟进销售', type: 'user' },
];

export const jdyCreatePush = {
  op: 'data_create',
  data: {
    _id: '605b5f68255d4845a73d3c0a',
    appId: '5b1747e93b708d0a80667400',
    entryId: '5b1749ae3b708d0a80667408',
    formName: '客户登记表',
    creator: { _id: '5b1747e93b708d0a806673ff', name: '管理员', username: 'admin' },
    updater: { _id: '5b1747e93b708d0a806673ff', name: '管理员', username: 'admin' },
    createTime: '2025-06-01T07:59:58.123Z',
    updateTime: '2025-06-01T07:59:58.123Z',
    _widget_1616600963783: '李雷',
    _widget_1616600963790: { phone: '13800138001', verified: false },
    _widget_1616600963801: '上海星河贸易有限公司',
    _widget_1616600963812: { province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道100号' },
    budget: 50,
    _widget_1616600980550: [
      { _id: '605b5fa6255d4845a73d3c0b', _widget_1616601008197: '会员系统' },
      { _id: '605b5fdc255d4845a73d3c0c', _widget_1616601008197: '小程序' },
    ],
    _widget_1616600999001: { _id: '5c1747e93b708d0a80667411', name: '王芳', username: 'wangfang' },
  },
};

export const jdyCreateBody = JSON.stringify(jdyCreatePush);
