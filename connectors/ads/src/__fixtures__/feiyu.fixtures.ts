// Feiyu (Ocean Engine 飞鱼 CRM) payloads in the format of the mirrored Feiyu sample code
// (connectors.md §4, REPORTED): `{status: "success", count, data: [clue…]}`.

export const accessToken = 'bc90c777149f0354fe520ae51ff27a045328567e';
export const signatureKey = 'TDJDMkNDVDlVTFY5';
export const pushToken = 'push-3f9c1d7e5b2a4c6d8e0f';

/**
 * Cross-implementation check of the reported signature: the Python Feiyu sample's algorithm
 * (hmac.new(key, data, sha256).hexdigest() then base64) run on the sample's own key and the
 * data string from the PHP sample's comment. Not a vendor-published vector.
 */
export const signatureVector = {
  key: 'TDJDMkNDVDlVTFY5',
  signedPath: '/crm/v2/openapi/pull-clues/?start_time=1569859200&end_time=1572537600',
  timestamp: '1572574424',
  signature: 'OGU2ZjBiZDEwZTc3MzdiMjc3ZmRlMGRhZDRjNmNhZWE1OTQzNzc4ZDExMDAyNzJkMTA3NWQ2MDZjYmQyMTU0MQ==',
  callbackSignature: 'YWZhMDQyNzcwOTdhZmMzMDZkMjRkOTkwNmQ1MDM1YWZmZWVjMDQ0NjM5YWVmYWNkMGMzYzYzZWEyY2ZmZGU1MQ==',
};

/** A clue as pull-clues answers it; `create_time` is Unix seconds as text, `telphone` is Feiyu's spelling. */
export const clue = (id: string, createTime: number, over: Record<string, unknown> = {}) => ({
  adv_id: '1664750332606472',
  store_id: 0,
  clue_id: id,
  clue_source: 1,
  weixin: '',
  adv_name: '招盟网络',
  site_id: '6828807535098462221',
  convert_status: '合法转化',
  date: null,
  create_time: String(createTime),
  remark_dict: { 预算: '10-20万', 装修类型: '全包' },
  address: '-',
  city_name: '',
  province_name: '',
  module_id: '1667185735022648',
  ad_plan_id: '1667194234544220',
  form_remark: '',
  qq: '',
  remark: '',
  ad_plan_name: 'oCPM_05_20_87',
  name: '廖阳丽',
  appname: '抖音',
  gender: 0,
  age: 0,
  cid: 1667202824745079,
  telphone: '18057927898',
  store_name: '',
  location: '浙江+金华',
  req_id: '202005211017440100280221412B00AF08',
  clue_type: 0,
  module_name: '表单1',
  external_url: 'https://www.chengzijianzhan.com/tetris/page/6828807535098462221/',
  email: '',
  store: { store_name: '', store_id: 0 },
  ...over,
});
