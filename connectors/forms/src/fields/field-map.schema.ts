/** The `fieldMap` config shared by the form triggers, as the editor renders it. */
export const fieldMapSchema = {
  type: 'object',
  title: 'Field map',
  description:
    'Item field → the form field(s) that fill it, by key, dot path or question label, first present wins; e.g. `{"phone": "q4_mobile", "name": ["联系人", "contact.name"]}`. Overrides the defaults (手机/电话/mobile/phone → phone, 邮箱/email → email, 姓名/name → name, 公司/company → company, 城市/city → city, 职位/job_title → title); any other target name adds a field.',
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: {
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    ],
  },
} as const;
