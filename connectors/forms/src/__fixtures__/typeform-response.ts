// A Typeform `form_response` delivery in the documented shape (developer.typeform.com,
// "Example webhook payload"), with a contact block, hidden utm fields and a choice.
export const typeformSecret = 'tf-whsec-9f3a1c7e2b64d085';

export const typeformResponse = {
  event_id: '01HZ7XK2J4R8Q1V6N3M5T9W0YB',
  event_type: 'form_response',
  form_response: {
    form_id: 'lT4Z3j',
    token: 'a3a12ec67a1365927098a606107fac15',
    landed_at: '2025-06-01T07:58:12Z',
    submitted_at: '2025-06-01T08:01:45Z',
    hidden: { utm_source: 'wechat', utm_campaign: 'summer_launch', user_ref: '9007199254740993' },
    calculated: { score: 7 },
    definition: {
      id: 'lT4Z3j',
      title: '产品试用申请',
      fields: [
        { id: 'Fd1Name', title: '您的姓名', type: 'short_text', ref: 'contact_name', properties: {} },
        { id: 'Fd2Mail', title: 'Work email', type: 'email', ref: 'f2a7c1e0-0d6f-4b39-9a0e-1e8c2b7d9f10', properties: {} },
        { id: 'Fd3Tel', title: '手机号码（必填）', type: 'phone_number', ref: 'mobile', properties: {} },
        { id: 'Fd4Co', title: 'Company', type: 'short_text', ref: 'company', properties: {} },
        { id: 'Fd5City', title: '所在城市', type: 'dropdown', ref: 'city', properties: {} },
        { id: 'Fd6Size', title: 'Team size', type: 'number', ref: 'team_size', properties: {} },
        { id: 'Fd7Need', title: 'What do you need?', type: 'multiple_choice', ref: 'needs', allow_multiple_selections: true, properties: {} },
        { id: 'Fd8Ok', title: 'May we call you?', type: 'yes_no', ref: 'consent', properties: {} },
      ],
    },
    answers: [
      { type: 'text', text: '张三 ', field: { id: 'Fd1Name', type: 'short_text', ref: 'contact_name' } },
      { type: 'email', email: 'zhangsan@yunfan.example', field: { id: 'Fd2Mail', type: 'email', ref: 'f2a7c1e0-0d6f-4b39-9a0e-1e8c2b7d9f10' } },
      { type: 'phone_number', phone_number: '+8613912345670', field: { id: 'Fd3Tel', type: 'phone_number', ref: 'mobile' } },
      { type: 'text', text: '杭州云帆科技有限公司', field: { id: 'Fd4Co', type: 'short_text', ref: 'company' } },
      { type: 'choice', choice: { label: '杭州' }, field: { id: 'Fd5City', type: 'dropdown', ref: 'city' } },
      { type: 'number', number: 25, field: { id: 'Fd6Size', type: 'number', ref: 'team_size' } },
      { type: 'choices', choices: { labels: ['CRM sync', 'Lead scoring'] }, field: { id: 'Fd7Need', type: 'multiple_choice', ref: 'needs' } },
      { type: 'boolean', boolean: true, field: { id: 'Fd8Ok', type: 'yes_no', ref: 'consent' } },
    ],
  },
};

/** The exact bytes Typeform would send (compact JSON, as its webhooks are). */
export const typeformBody = JSON.stringify(typeformResponse).replace('"9007199254740993"', '9007199254740993');
