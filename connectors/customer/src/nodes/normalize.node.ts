import { STORE_MATCH_CONFIG, emailMatchKey, normalizeCity, normalizeCompanyName, normalizePersonName, profileEvidence, toHalfWidth } from '@tributary/customer-store';
import { defineNode, type Item } from '@tributary/node-sdk';
import { DEFAULT_FIELD_ALIASES, fieldsFor, readText } from '../fields/customer-fields.util.js';
import { extractIdentities, storeIdentities } from '../fields/identity-extraction.util.js';
import { fieldListSchema, fieldMapSchema } from './field-config.schema.js';
import { normalizeNodeLocales } from './normalize.node.locale.js';

export interface NormalizeConfig {
  /** Item fields per kind: phone, email, name, company, city, or any identity type (wechat_unionid, …). */
  fields?: Record<string, string[]>;
  /** ISO country assumed for numbers written without a country code. */
  defaultCountry: string;
}

export const normalizeNode = defineNode<NormalizeConfig>({
  id: 'customer.normalize',
  version: 1,
  title: 'Normalize customer data',
  description:
    'Finds phone, e-mail, name, company and city in each item (common English and Chinese field names are recognised) and adds `normalized` (E.164 phone, lower-case e-mail, cleaned name with its match key and pinyin, company key, city in Chinese without 市/省) and `identities` ([{type, value}], the keys customer.upsert and customer.resolve use). Items with no usable identity (none given, or only junk such as 13800000000, 未知, test@test.com) go to `unidentified`, unless a real name with a city or company (and a masked phone such as 138****5678, where there is one) can still recognise the person: those go to `out` with `normalized.identifiedBy: "profile"`.',
  category: 'customer',
  locales: normalizeNodeLocales,
  pure: true,
  icon: 'user-check',
  outputs: ['out', 'unidentified'],
  configSchema: {
    type: 'object',
    properties: {
      fields: {
        ...fieldMapSchema,
        title: 'Fields',
        description: `Which item fields hold what, per kind; a kind left out uses its defaults (phone: ${DEFAULT_FIELD_ALIASES.phone.slice(0, 7).join(', ')}…; email: ${DEFAULT_FIELD_ALIASES.email.slice(0, 5).join(', ')}…; name: ${DEFAULT_FIELD_ALIASES.name.slice(0, 5).join(', ')}…; company: ${DEFAULT_FIELD_ALIASES.company.slice(0, 5).join(', ')}…; city: ${DEFAULT_FIELD_ALIASES.city.join(', ')}). Other keys are identity types, e.g. {"wechat_unionid": ["unionid"]}. Dotted paths reach nested fields.`,
        properties: {
          phone: fieldListSchema('Phone fields'),
          email: fieldListSchema('E-mail fields'),
          name: fieldListSchema('Name fields'),
          company: fieldListSchema('Company fields'),
          city: fieldListSchema('City fields'),
        },
      },
      defaultCountry: {
        type: 'string',
        title: 'Default country',
        description: 'ISO 3166 code assumed for phone numbers written without a country code.',
        pattern: '^[A-Z]{2}$',
        default: 'CN',
      },
    },
    additionalProperties: false,
  },
  sample: {
    config: { defaultCountry: 'CN' },
    input: [
      { 姓名: ' 张三 ', 手机: '＋86 139-1234-5670', 邮箱: 'ZhangSan@QQ.com', 公司: '杭州云帆科技有限公司', 城市: '杭州' },
      { name: 'Walk-in', phone: '13800000000' },
    ],
  },
  async run(ctx, items) {
    const out: Item[] = [];
    const unidentified: Item[] = [];
    const fields = ctx.config.fields;
    for (const item of items) {
      const { identities, phoneKinds, rejected } = extractIdentities(item, fields, ctx.config.defaultCountry);
      const normalized: Record<string, unknown> = {};
      const phone = identities.find((i) => i.type === 'phone');
      if (phone) {
        normalized.phone = phone.value;
        normalized.phoneKind = phoneKinds.get(phone.value);
      }
      const email = identities.find((i) => i.type === 'email');
      if (email) {
        normalized.email = email.value;
        const key = emailMatchKey(email.value);
        if (key !== email.value) normalized.emailMatchKey = key;
      }
      const name = readText(item, fieldsFor('name', fields));
      // Chinese names have no inner spaces; Latin names keep single ones.
      if (name) {
        normalized.name = cleanName(name.value as string);
        // Nicknames (小王, 王先生, Amy, emoji) get no key: they must not count as name evidence.
        const person = normalizePersonName(name.value);
        if (person?.weak) normalized.nameIsNickname = true;
        else if (person) {
          normalized.nameKey = person.matchKey;
          if (person.pinyin) normalized.pinyin = person.pinyin;
        }
      }
      const company = readText(item, fieldsFor('company', fields));
      if (company) {
        normalized.company = toHalfWidth(company.value as string).replace(/\s+/g, ' ').trim();
        const key = normalizeCompanyName(company.value);
        if (key) normalized.companyKey = key;
      }
      const city = readText(item, fieldsFor('city', fields));
      const cityKey = city ? normalizeCity(city.value) : undefined;
      if (cityKey) normalized.city = cityKey;
      if (rejected.length > 0) normalized.rejected = rejected.map((r) => ({ type: r.type, field: r.field, value: r.value, reason: r.reason }));
      // No usable identity, but a real name with a city or company (and a masked phone, if any): the store can
      // still recognise the person by that profile (customer.upsert, customer.resolve).
      const profile =
        identities.length === 0
          ? profileEvidence({ name: name?.value, company: company?.value, city: city?.value }, storeIdentities({ identities, rejected }), STORE_MATCH_CONFIG)
          : undefined;
      if (profile) normalized.identifiedBy = 'profile';
      const result = { ...item, normalized, identities };
      (identities.length > 0 || profile ? out : unidentified).push(result);
    }
    return { out, unidentified };
  },
});

function cleanName(raw: string): string {
  const s = toHalfWidth(raw).replace(/\s+/g, ' ').trim();
  return /[\u3400-\u9fff]/.test(s) ? s.replace(/[\s·•]/g, '') : s;
}
