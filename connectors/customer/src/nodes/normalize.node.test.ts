import { describe, expect, it } from '@jest/globals';
import { runNode } from '@tributary/node-sdk';
import { normalizeNode } from './normalize.node.js';

const run = (items: Record<string, unknown>[], config: Record<string, unknown> = {}) => runNode(normalizeNode, { config, items });

describe('customer.normalize', () => {
  it('recognises Chinese field names and normalizes each kind', async () => {
    const { out, unidentified } = await run([
      { 姓名: ' 张 三 ', 手机号: '＋86 139-1234-5670', 邮箱: 'Zhang.San+crm@GoogleMail.com', 公司名称: 'ABC（中国）科技有限公司', 城市: ' 杭州 ' },
    ]);
    expect(unidentified).toEqual([]);
    expect(out).toEqual([
      {
        姓名: ' 张 三 ',
        手机号: '＋86 139-1234-5670',
        邮箱: 'Zhang.San+crm@GoogleMail.com',
        公司名称: 'ABC（中国）科技有限公司',
        城市: ' 杭州 ',
        normalized: {
          phone: '+8613912345670',
          phoneKind: 'mobile',
          email: 'zhang.san+crm@googlemail.com',
          emailMatchKey: 'zhangsan@gmail.com',
          name: '张三',
          nameKey: '张三',
          pinyin: 'zhangsan',
          company: 'ABC(中国)科技有限公司',
          companyKey: 'abc科技',
          city: '杭州',
        },
        identities: [
          { type: 'phone', value: '+8613912345670' },
          { type: 'email', value: 'zhang.san+crm@googlemail.com' },
        ],
      },
    ]);
  });

  it('recognises English field names in any case and spacing', async () => {
    const { out } = await run([{ 'Phone Number': '(010) 6552 9988', Mobile: '13912345670', EMAIL: 'a.b@corp.cn', 'Full Name': 'Li  Lei', unionid: 'oUnion-1' }]);
    expect(out[0]!.identities).toEqual([
      { type: 'phone', value: '+8613912345670' },
      { type: 'phone', value: '+861065529988' },
      { type: 'email', value: 'a.b@corp.cn' },
      { type: 'wechat_unionid', value: 'oUnion-1' },
    ]);
    expect(out[0]!.normalized).toMatchObject({ phone: '+8613912345670', phoneKind: 'mobile', name: 'Li Lei' });
  });

  it('gives every number and address a field lists', async () => {
    const { out } = await run([{ 电话: '010-65529988 / 13912345670', 邮箱: 'a.b@corp.cn；ab@163.com', 姓名: '李雷' }]);
    expect(out[0]!.identities).toEqual([
      { type: 'phone', value: '+8613912345670' },
      { type: 'phone', value: '+861065529988' },
      { type: 'email', value: 'a.b@corp.cn' },
      { type: 'email', value: 'ab@163.com' },
    ]);
    expect(out[0]!.normalized).toMatchObject({ phone: '+8613912345670', phoneKind: 'mobile' });
  });

  it('uses the configured fields, dotted paths and extra identity types', async () => {
    const { out } = await run(
      [{ contact: { cell: '13912345670' }, phone: '13800000001', member: 'M-0099', customer_name: '王五' }],
      { fields: { phone: ['contact.cell'], name: ['customer_name'], pos_member_id: ['member'] } },
    );
    expect(out[0]!.identities).toEqual([
      { type: 'phone', value: '+8613912345670' },
      { type: 'pos_member_id', value: 'M-0099' },
    ]);
    expect(out[0]!.normalized).toMatchObject({ name: '王五' });
  });

  it('sends items that identify nobody to unidentified, saying why', async () => {
    const { out, unidentified } = await run([
      { name: 'Walk-in', phone: '13800000000', email: 'test@test.com' },
      { name: 'No contact' },
      { phone: '138****5678' },
    ]);
    expect(out).toEqual([]);
    expect(unidentified.map((i) => (i.normalized as { rejected?: unknown }).rejected)).toEqual([
      [
        { type: 'phone', field: 'phone', value: '13800000000', reason: 'junk' },
        { type: 'email', field: 'email', value: 'test@test.com', reason: 'junk' },
      ],
      undefined,
      [{ type: 'phone', field: 'phone', value: '138****5678', reason: 'masked' }],
    ]);
  });

  it('gives traditional, full-width and pinyin forms of a name, company and city the same keys', async () => {
    const { out } = await run([
      { name: '張三', phone: '13912345670', company: '北京ABC科技有限公司', city: '北京市' },
      { name: 'ZHANG San', phone: '13912345670', company: 'ABC(中國)科技', city: 'Beijing' },
      { name: '欧阳娜娜 ', phone: '13912345671', company: 'ＡＢＣ科技股份有限公司', city: 'Peking' },
    ]);
    expect(out.map((i) => i.normalized)).toEqual([
      expect.objectContaining({ name: '張三', nameKey: '张三', pinyin: 'zhangsan', companyKey: 'abc科技', city: '北京' }),
      expect.objectContaining({ name: 'ZHANG San', nameKey: 'zhang san', pinyin: 'zhangsan', companyKey: 'abc科技', city: '北京' }),
      expect.objectContaining({ name: '欧阳娜娜', nameKey: '欧阳娜娜', pinyin: 'ouyangnana', companyKey: 'abc科技', city: '北京' }),
    ]);
  });

  it('marks nicknames instead of giving them a name key, and drops placeholder cities', async () => {
    const { out } = await run([
      { name: '王先生', phone: '13912345670', city: '未知' },
      { nickname: '🌸小王🌸', name: '小王', phone: '13912345671', city: '-' },
      { name: 'Amy', phone: '13912345672' },
    ]);
    for (const item of out) {
      const normalized = item.normalized as Record<string, unknown>;
      expect(normalized.nameIsNickname).toBe(true);
      expect(normalized.nameKey).toBeUndefined();
      expect(normalized.pinyin).toBeUndefined();
      expect(normalized.city).toBeUndefined();
    }
  });

  it('reads numbers for other countries with the default country', async () => {
    const { out } = await run([{ phone: '(415) 555-2671' }], { defaultCountry: 'US' });
    expect(out[0]!.identities).toEqual([{ type: 'phone', value: '+14155552671' }]);
  });

  it('refuses a config with a bad default country or field list', async () => {
    await expect(runNode(normalizeNode, { config: { defaultCountry: 'china' } })).rejects.toThrow();
    await expect(runNode(normalizeNode, { config: { fields: { phone: 'mobile' } } })).rejects.toThrow();
    await expect(runNode(normalizeNode, { config: { fields: { 'Bad Type': ['x'] } } })).rejects.toThrow();
  });
});
