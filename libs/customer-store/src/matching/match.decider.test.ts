import { describe, expect, it } from '@jest/globals';
import { DEFAULT_MATCH_CONFIG } from './default-match.config.js';
import { decide } from './match.decider.js';
import type { MatchRecord } from './match.types.js';
import { STORE_MATCH_CONFIG } from '../store-match.config.js';

const phone = (v: string) => ({ type: 'phone', value: v });
const rec = (id: string, fields: Record<string, string>, identities: { type: string; value: string }[] = []): MatchRecord => ({ id, identities, fields });

describe('decide', () => {
  it('weighs a different phone against a same-name, same-city candidate (store rules)', () => {
    const candidate = rec('c1', { name: '张伟', city: '北京' }, [phone('+8613912340001')]);
    const other = decide(rec('new', { name: '张伟', city: '北京' }, [phone('+8613987650002')]), [candidate], STORE_MATCH_CONFIG);
    expect(other.kind).toBe('new');
    // Without a phone on the record the same evidence still deserves a human look.
    const noPhone = decide(rec('new', { name: '张伟', city: '北京' }, [{ type: 'email', value: 'zw@corp-mail.cn' }]), [candidate], STORE_MATCH_CONFIG);
    expect(noPhone.kind).toBe('review');
    // More agreeing evidence than name + city outweighs the different phone.
    const more = decide(
      rec('new', { name: '张伟', city: '北京', company: 'ABC科技有限公司' }, [phone('+8613987650002')]),
      [rec('c1', { name: '张伟', city: '北京', company: 'ABC科技' }, [phone('+8613912340001')])],
      STORE_MATCH_CONFIG,
    );
    expect(more.kind).toBe('review');
    expect(more.reasons.some((r) => r.detail.startsWith('phone differs'))).toBe(true);
    // One mistyped digit is not another phone: no penalty, review as without a phone.
    const slip = decide(rec('new', { name: '张伟', city: '北京' }, [phone('+8613912340010')]), [candidate], STORE_MATCH_CONFIG);
    expect(slip.kind).toBe('review');
    expect(slip.reasons.some((r) => r.detail.startsWith('phone differs'))).toBe(false);
  });

  it('links by the highest-priority shared identifier, with its reason', () => {
    const d = decide(rec('new', { name: '张伟' }, [phone('+8613912345678')]), [rec('c1', { name: '张伟' }, [phone('+8613912345678')])], DEFAULT_MATCH_CONFIG);
    expect(d).toMatchObject({ kind: 'matched', targetId: 'c1' });
    expect(d.reasons[0]).toMatchObject({ rule: 'identifier:phone' });
  });

  it('sends a shared phone with clearly different names to review (a family phone)', () => {
    const d = decide(rec('new', { name: '张伟' }, [phone('+8613912345678')]), [rec('c1', { name: '张丽娜' }, [phone('+8613912345678')])], DEFAULT_MATCH_CONFIG);
    expect(d.kind).toBe('review');
    expect(d.reasons.some((r) => r.rule === 'conflict:phone')).toBe(true);
  });

  it('stops linking through a value held by too many customers', () => {
    const d = decide(rec('new', { name: '张伟' }, [phone('+8613912345678')]), [rec('c1', { name: '张伟' }, [phone('+8613912345678')])], DEFAULT_MATCH_CONFIG, {
      customersPerValue: () => 5,
    });
    expect(d.kind).toBe('review');
    expect(d.reasons[0]!.detail).toContain('held by 5 customers');
  });

  it('does not merge two different WeChat unionids even when the phone agrees', () => {
    const a = rec('new', { name: '张伟' }, [phone('+8613912345678'), { type: 'wechat_unionid', value: 'oU1' }]);
    const c = rec('c1', { name: '张伟' }, [phone('+8613912345678'), { type: 'wechat_unionid', value: 'oU2' }]);
    const d = decide(a, [c], DEFAULT_MATCH_CONFIG);
    expect(d.kind).toBe('review');
    expect(d.candidates?.[0]?.reasons.some((r) => r.rule === 'conflict:wechat_unionid')).toBe(true);
  });

  it('applies the fuzzy thresholds: merge, review, new', () => {
    const full = rec('new', { name: '张伟', company: '腾讯科技有限公司', city: '深圳' });
    expect(decide(full, [rec('c1', { name: '張偉', company: '腾讯科技', city: '深圳市' })], DEFAULT_MATCH_CONFIG)).toMatchObject({ kind: 'matched', targetId: 'c1' });
    // Same common name in the same city: not enough on its own.
    expect(decide(rec('new', { name: '张伟', city: '深圳' }), [rec('c1', { name: '张伟', city: '深圳' })], DEFAULT_MATCH_CONFIG).kind).toBe('review');
    expect(decide(rec('new', { name: '张伟' }), [rec('c1', { name: '李娜' })], DEFAULT_MATCH_CONFIG)).toMatchObject({ kind: 'new', score: 0 });
  });

  it('adds the rare-value bonus only when the store says the value is rare', () => {
    const a = rec('new', { name: '欧阳娜娜', city: '杭州' });
    const c = rec('c1', { name: '歐陽娜娜', city: '杭州市' });
    expect(decide(a, [c], DEFAULT_MATCH_CONFIG).kind).toBe('review');
    const d = decide(a, [c], DEFAULT_MATCH_CONFIG, { valueCount: () => 2 });
    expect(d).toMatchObject({ kind: 'matched', targetId: 'c1', score: 8 });
    expect(d.reasons.some((r) => r.rule === 'fuzzy:rare')).toBe(true);
    expect(decide(a, [c], DEFAULT_MATCH_CONFIG, { valueCount: () => 500 }).kind).toBe('review');
  });

  it('weighs a name by its share of the population: rare only under maxShare, common above minShare', () => {
    const tf = {
      ...DEFAULT_MATCH_CONFIG,
      fuzzy: {
        ...DEFAULT_MATCH_CONFIG.fuzzy,
        fields: DEFAULT_MATCH_CONFIG.fuzzy.fields.map((f) =>
          f.field === 'name' ? { ...f, rare: { maxRecords: 6, bonus: 2, maxShare: 1 / 1_000 }, common: { minRecords: 10, minShare: 1 / 100, manyRecords: 80, penalty: 2 } } : f,
        ),
      },
    };
    const a = rec('new', { name: '欧阳娜娜', city: '杭州' });
    const c = rec('c1', { name: '歐陽娜娜', city: '杭州市' });
    // Two holders among 1,000: more than 1 in 1,000, not rare yet; among 5,000 it is.
    expect(decide(a, [c], tf, { valueCount: () => 2, population: 1_000 }).kind).toBe('review');
    expect(decide(a, [c], tf, { valueCount: () => 2, population: 5_000 })).toMatchObject({ kind: 'matched', score: 8 });
    // Without a population the share cannot be judged: no bonus, no penalty.
    expect(decide(a, [c], tf, { valueCount: () => 2 }).kind).toBe('review');
    expect(decide(a, [c], tf, { valueCount: () => 50 }).kind).toBe('review');
    // 50 holders among 1,000 is common: 5 − 2 + 1 = 4, no review; 50 among 10,000 is not.
    expect(decide(a, [c], tf, { valueCount: () => 50, population: 1_000 }).kind).toBe('new');
    expect(decide(a, [c], tf, { valueCount: () => 50, population: 10_000 }).kind).toBe('review');
    // In a large store, manyRecords holders are enough: 80 among 1,000,000 is common (the share would want 10,000).
    expect(decide(a, [c], tf, { valueCount: () => 80, population: 1_000_000 }).kind).toBe('new');
    expect(decide(a, [c], tf, { valueCount: () => 79, population: 1_000_000 }).kind).toBe('review');
    // Fewer than minRecords holders is never common, however small the population.
    expect(decide(a, [c], tf, { valueCount: () => 9, population: 100 }).kind).toBe('review');
    const withCompany = decide(rec('new', { name: '欧阳娜娜', city: '杭州', company: '云帆科技' }), [rec('c1', { name: '欧阳娜娜', city: '杭州', company: '杭州云帆科技有限公司' })], tf, {
      valueCount: () => 50,
      population: 1_000,
    });
    expect(withCompany).toMatchObject({ kind: 'review', score: 7 });
    expect(withCompany.reasons.find((r) => r.rule === 'fuzzy:common')).toMatchObject({ field: 'name', weight: -2 });
  });

  it('does not guess whose e-mail it is when several customers hold it and the record has no phone', () => {
    const mail = { type: 'email', value: 'liwei@163.com' };
    const holder = rec('c1', { name: '李伟' }, [mail, phone('+8613912340001')]);
    // One holder: the e-mail links, phone or not.
    expect(decide(rec('new', { name: '李伟' }, [mail]), [holder], DEFAULT_MATCH_CONFIG, { customersPerValue: () => 1 })).toMatchObject({ kind: 'matched', targetId: 'c1' });
    // Two namesakes typed it (the other keeps it as a share): without a phone, a review.
    const blind = decide(rec('new', { name: '李伟' }, [mail]), [holder], DEFAULT_MATCH_CONFIG, { customersPerValue: () => 2 });
    expect(blind.kind).toBe('review');
    expect(blind.reasons[0]!.detail).toMatch(/held by 2 customers and the record has no phone/);
    // With the holder's phone beside it, the phone decides anyway; with another phone, the e-mail conflicts.
    expect(decide(rec('new', { name: '李伟' }, [mail, phone('+8613912340001')]), [holder], DEFAULT_MATCH_CONFIG, { customersPerValue: () => 2 }).kind).toBe('matched');
    expect(decide(rec('new', { name: '李伟' }, [mail, phone('+8613987650002')]), [holder], DEFAULT_MATCH_CONFIG, { customersPerValue: () => 2 }).kind).toBe('review');
  });

  it('does not guess which family member a nameless record with a shared phone is', () => {
    const a = rec('new', { name: '🌸晴天' }, [phone('+8613912345678')]);
    const cs = [rec('c1', { name: '张伟' }, [phone('+8613912345678')]), rec('c2', { name: '张丽娜' }, [phone('+8613912345678')])];
    expect(decide(a, cs, DEFAULT_MATCH_CONFIG).kind).toBe('review');
    const named = decide(rec('new', { name: '張麗娜' }, [phone('+8613912345678')]), cs, DEFAULT_MATCH_CONFIG);
    expect(named).toMatchObject({ kind: 'matched', targetId: 'c2' });
  });
});
