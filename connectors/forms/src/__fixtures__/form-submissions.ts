// Bodies as common form tools post them.

/** A Chinese landing-page form posting JSON with nested answers. */
export const chineseJsonBody = JSON.stringify({
  submission_id: 'S-20250601-000981',
  submitted_at: '2025-06-01 16:01:45',
  form: { name: '官网试用表单', id: 'trial' },
  contact: { 姓名: '王小明', 手机号码: '139 1234 5670', 邮箱: 'wxm@example.cn' },
  公司: '深圳前海微众示例有限公司',
  城市: '深圳',
  关注产品: ['会员管理', '营销自动化'],
  utm_source: 'baidu',
  utm_medium: 'cpc',
  lead_no: '__BIG__',
}).replace('"__BIG__"', '9007199254740993123');

/** A plain HTML form (application/x-www-form-urlencoded). */
export const urlEncodedBody = 'name=Ada+Lovelace&email=ada%40example.com&phone=%2B44+7700+900123&company=Analytical+Engines+Ltd&city=London&interest=crm&interest=ads&utm_campaign=spring';

/** A form builder that sends `answers: [{label, value}]` (腾讯问卷 / 金数据 style exports). */
export const labelledAnswersBody = JSON.stringify({
  serial_number: 1042,
  answers: [
    { label: '您的姓名', value: '赵敏' },
    { label: '联系电话（必填）', value: '18612345678' },
    { label: '电子邮箱', value: 'zhaomin@example.com' },
    { label: '职位', value: '市场总监' },
    { label: '您从哪里了解到我们？', value: ['朋友推荐', '公众号'] },
  ],
});

/** Jotform's fields: `rawRequest` is a JSON string of answers keyed q<N>_<name>. */
export const jotformFields = {
  formID: '241234567890123',
  submissionID: '5912345678901234567',
  formTitle: 'Contact Us',
  ip: '203.0.113.7',
  pretty: 'Name:Grace Hopper, Email:grace@example.com',
  rawRequest: JSON.stringify({
    slug: 'submit/241234567890123',
    q3_name: { first: 'Grace', last: 'Hopper' },
    q4_email: 'grace@example.com',
    q5_phoneNumber: { full: '(555) 010-4477' },
    q6_company: 'Navy Labs',
  }),
};
