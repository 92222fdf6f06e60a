import { describe, expect, it } from '@jest/globals';
import { BatchMatcher } from './batch.matcher.js';
import { DEFAULT_MATCH_CONFIG } from './default-match.config.js';
import { recordFromRow } from './match-record.mapper.js';
import type { MatchConfig } from './match.types.js';

const rows = [
  { record_id: 'r1', name: '张伟', phone: '+86 139 1234 5678', city: '上海' },
  { record_id: 'r2', name: '張偉', phone: '0086-13912345678', wechat_unionid: 'oU1' },
  { record_id: 'r3', name: 'Zhang Wei', wechat_unionid: 'oU1', city: 'Shanghai' },
  { record_id: 'r4', name: '李娜', phone: '13912345678' },
  { record_id: 'r5', name: '王芳', phone: '13800000000' },
  { record_id: 'r6', name: '赵敏', phone: '13800000000' },
  { record_id: 'r7', name: '张伟', company: '腾讯科技有限公司', city: '上海市', title: '经理' },
  { record_id: 'r8', name: '張偉', company: '騰訊科技（中國）有限公司', city: '上海', title: '经理' },
];

describe('recordFromRow', () => {
  it('gives every number and address a cell lists as identities, and the raw cell to the fuzzy phone comparator', () => {
    const r = recordFromRow({ record_id: 'r1', name: '李雷', phone: '13912345670 / 138-1234-5670', email: 'a.b@corp.cn; ab@163.com' }, DEFAULT_MATCH_CONFIG);
    expect(r.identities).toEqual([
      { type: 'phone', value: '+8613912345670' },
      { type: 'phone', value: '+8613812345670' },
      { type: 'email', value: 'a.b@corp.cn' },
      { type: 'email', value: 'ab@163.com' },
    ]);
    expect(r.fields.phone).toBe('13912345670 / 138-1234-5670');
  });
});

describe('BatchMatcher', () => {
  it('clusters by identifiers and fuzzy rules, with a reason per record', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    for (const row of rows) m.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    const ids = m.clusterIds();
    expect(ids.slice(0, 3)).toEqual(['r1', 'r1', 'r1']);
    // A shared phone with another name is a family member: its own cluster, sent to review.
    expect(ids[3]).toBe('r4');
    expect(m.reason(3)).toMatch(/^new \(review/);
    // 13800000000 is junk: it never links.
    expect(ids[4]).toBe('r5');
    expect(ids[5]).toBe('r6');
    expect(m.reason(1)).toBe('identifier:phone r1');
    expect(m.reason(2)).toBe('identifier:wechat_unionid r2');
    expect(ids[7]).toBe(ids[6]);
    expect(m.reason(7)).toMatch(/^fuzzy \d/);
    expect(m.explain(7).map((r) => r.field ?? r.rule)).toContain('company');
  });

  it('does not pick between two namesakes a record fits equally, in the record pass or the cluster passes', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    const rows = [
      { record_id: 'a', name: '张伟', company: '华为技术有限公司', city: '深圳', phone: '13912345678' },
      { record_id: 'b', name: '张伟', company: '华为技术有限公司', city: '深圳', phone: '15800001111' },
      { record_id: 'c', name: '张伟', company: '华为技术有限公司', city: '深圳', email: 'zw@huawei-mail.cn' },
    ];
    for (const row of rows) m.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    expect(m.clusterIds()).toEqual(['a', 'b', 'c']);
    expect(m.reason(2)).toMatch(/^new \(review/);
    // With one of them only, the record is that one's.
    const one = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    for (const row of [rows[0]!, rows[2]!]) one.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    expect(one.clusterIds()).toEqual(['a', 'a']);
  });

  it('links only across groups in link mode', () => {
    const config: MatchConfig = {
      identifiers: [],
      fuzzy: {
        fields: [{ field: 'name', comparator: 'jaro_winkler', agreeWeight: 5, disagreeWeight: -5 }],
        blocking: [{ name: 'n', fields: [{ field: 'name' }] }],
        autoMergeThreshold: 5,
        reviewThreshold: 3,
      },
    };
    const m = new BatchMatcher(config, { mode: 'link' });
    m.add({ id: 'a1', identities: [], fields: { name: 'ann' } }, 0);
    m.add({ id: 'a2', identities: [], fields: { name: 'ann' } }, 0);
    m.add({ id: 'b1', identities: [], fields: { name: 'bob' } }, 1);
    m.add({ id: 'b2', identities: [], fields: { name: 'bob' } }, 1);
    // a2 never meets a1 (same group); b1 and b2 neither.
    expect(m.clusterIds()).toEqual(['a1', 'a2', 'b1', 'b2']);
    m.add({ id: 'b3', identities: [], fields: { name: 'ann' } }, 1);
    expect(m.clusterIds()).toEqual(['a1', 'a1', 'b1', 'b2', 'a1']);
  });

  it('keeps a value shared by too many clusters from linking', () => {
    const config: MatchConfig = { ...DEFAULT_MATCH_CONFIG, identifiers: [{ type: 'phone', priority: 1, maxCustomersPerValue: 2, conflictFields: ['name'] }] };
    const m = new BatchMatcher(config);
    for (const [i, name] of ['张伟', '李娜', '王芳', '王芳'].entries()) m.add(recordFromRow({ record_id: `r${i}`, name, phone: '13912345678' }, config));
    const ids = m.clusterIds();
    expect(new Set(ids).size).toBe(4);
  });

  it('does not link an e-mail shared by two people with different phones, nor guess which of them a record without a phone is', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    m.add(recordFromRow({ record_id: 'a', name: '李静', email: 'jing.li@gmail.com', phone: '13912345678' }, DEFAULT_MATCH_CONFIG));
    // Arriving before b, c would have joined a: it waits until every record is in.
    m.add(recordFromRow({ record_id: 'c', name: '李静', email: 'Jing.Li@gmail.com' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'b', name: '李静', email: 'jing.li@gmail.com', phone: '13698765432' }, DEFAULT_MATCH_CONFIG));
    expect(m.clusterIds()).toEqual(['a', 'c', 'b']);
    expect(m.decision(1)).toMatchObject({ kind: 'review' });
  });

  it('links a record without a phone by its e-mail once every record is in, when one cluster holds the e-mail', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    m.add(recordFromRow({ record_id: 'a', name: '李静', email: 'jing.li@gmail.com', phone: '13912345678' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'c', name: '李静', email: 'Jing.Li@gmail.com' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'd', name: 'Li Jing', email: 'jing.li@gmail.com', phone: '139 1234 5678' }, DEFAULT_MATCH_CONFIG));
    expect(m.clusterIds()).toEqual(['a', 'a', 'a']);
  });

  it('links a rare name in the same city in the term-frequency pass, never a common one', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    const add = (id: string, name: string, city: string) => m.add(recordFromRow({ record_id: id, name, city }, DEFAULT_MATCH_CONFIG));
    add('r1', '欧阳娜娜', '杭州');
    add('r2', '歐陽娜娜', '杭州市');
    for (let i = 0; i < 8; i++) add(`w${i}`, '王伟', '上海');
    const ids = m.clusterIds();
    expect(ids[1]).toBe('r1');
    expect(m.reason(1)).toBe('fuzzy 8 r1 rare');
    expect(new Set(ids.slice(2)).size).toBe(8);
  });

  it('keeps a nickname-only record off a phone already shared by two people', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    m.add(recordFromRow({ record_id: 'a', name: '张伟', phone: '13912345678' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'b', name: '张丽娜', phone: '13912345678' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'c', name: '🌸晴天', phone: '139 1234 5678' }, DEFAULT_MATCH_CONFIG));
    m.add(recordFromRow({ record_id: 'd', name: '張麗娜', phone: '13912345678' }, DEFAULT_MATCH_CONFIG));
    expect(m.clusterIds()).toEqual(['a', 'b', 'c', 'b']);
  });

  it('links clusters on cluster-level evidence: the name on one record, the company on another', () => {
    const config: MatchConfig = { ...DEFAULT_MATCH_CONFIG, fuzzy: { ...DEFAULT_MATCH_CONFIG.fuzzy, rareClusters: undefined } };
    const m = new BatchMatcher(config);
    const add = (row: Record<string, string>) => m.add(recordFromRow(row, config));
    add({ record_id: 'x1', name: '陈明轩', phone: '13912345678' });
    add({ record_id: 'x2', name: '陈明轩', phone: '13912345678', company: '华信科技有限公司' });
    add({ record_id: 'y1', name: '陈明轩', email: 'chenmx@163.com', city: '上海' });
    add({ record_id: 'y2', name: 'Amy', email: 'chenmx@163.com', company: '华信科技有限公司' });
    const ids = m.clusterIds();
    expect(ids).toEqual(['x1', 'x1', 'x1', 'x1']);
    expect(ids.map((_, i) => m.reason(i))).toContain('fuzzy cluster x1');

    // Another 陈明轩 at 华信 with another phone: x and z cannot be one person, and y fits both.
    const m2 = new BatchMatcher(config);
    for (const row of [
      { record_id: 'x1', name: '陈明轩', phone: '13912345678' },
      { record_id: 'x2', name: '陈明轩', phone: '13912345678', company: '华信科技有限公司' },
      { record_id: 'y1', name: '陈明轩', email: 'chenmx@163.com', city: '上海' },
      { record_id: 'y2', name: 'Amy', email: 'chenmx@163.com', company: '华信科技有限公司' },
      { record_id: 'z1', name: '陈明轩', phone: '13711112222', company: '华信科技有限公司' },
    ]) {
      m2.add(recordFromRow(row, config));
    }
    expect(m2.clusterIds()).toEqual(['x1', 'x1', 'y1', 'y1', 'z1']);
  });

  it('links the few clusters holding a rare name when their city or company agrees and nothing disagrees', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    const add = (row: Record<string, string>) => m.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    add({ record_id: 'a1', name: '欧阳靖雯', phone: '13912345678', city: '杭州' });
    add({ record_id: 'a2', name: '欧阳靖雯', email: 'jingwen@163.com', city: '杭州市' });
    add({ record_id: 'b1', name: '司马浩然', phone: '13812345678', city: '杭州' });
    add({ record_id: 'b2', name: '司马浩然', email: 'haoran@163.com', city: '成都' });
    // No city on c2 and a file of six names, too few to call any name rare (uniqueNames): apart.
    add({ record_id: 'c1', name: '上官云', phone: '13712345678', city: '杭州' });
    add({ record_id: 'c2', name: '上官云', email: 'shangguan@163.com' });
    expect(m.clusterIds()).toEqual(['a1', 'a1', 'b1', 'b2', 'c1', 'c2']);
  });
});

describe('BatchMatcher phone evidence', () => {
  it('links a masked or mistyped phone when the name agrees, and never on the phone alone', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    const input = [
      { record_id: 'p1', name: '欧阳明轩', phone: '13924681357', city: '广州' },
      // Douyin and Taobao hand out 139****1357: no identity, but the visible ends and the name agree.
      { record_id: 'p2', name: '欧阳明轩', phone: '139****1357' },
      // Two neighbouring digits swapped by whoever typed it.
      { record_id: 'p3', name: 'Ouyang Mingxuan', phone: '139 2468 3157' },
      // The same masked ends with another name: a different person.
      { record_id: 'p4', name: '李静', phone: '139****1357' },
      // A nickname with a masked phone says too little.
      { record_id: 'p5', name: '🌸静待花开🌸', phone: '139****1357' },
    ];
    for (const row of input) m.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    const ids = m.clusterIds();
    expect(ids.slice(0, 3)).toEqual(['p1', 'p1', 'p1']);
    expect(m.reason(1)).toMatch(/^fuzzy \d/);
    expect(m.explain(1).find((r) => r.field === 'phone')).toMatchObject({ comparator: 'phone_near', similarity: 1, weight: 4 });
    expect(ids[3]).toBe('p4');
    expect(ids[4]).toBe('p5');
  });

  it('keeps the raw phone as a fuzzy field beside the identity', () => {
    const r = recordFromRow({ record_id: 'x', phone: '139****1357', name: '张伟' }, DEFAULT_MATCH_CONFIG);
    expect(r.identities).toEqual([]);
    expect(r.fields.phone).toBe('139****1357');
  });
});

describe('BatchMatcher unique names', () => {
  // A crowd of ordinary names, so that the parts' shares mean something: 王 and 伟 are common here.
  const crowd = (m: BatchMatcher) => {
    const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华玲建国文辉鹏婷雪晨宇浩欣';
    let k = 0;
    for (const s of '王王王王李李李张张刘陈杨黄赵吴周') {
      for (const g of given) m.add(recordFromRow({ record_id: `c${k}`, name: s + g, phone: `1392468${String(k++).padStart(4, '0')}` }, DEFAULT_MATCH_CONFIG));
    }
  };

  it('joins two clusters that hold a name nobody else should have, and not a common one', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    crowd(m);
    const add = (row: Record<string, string>) => m.add(recordFromRow(row, DEFAULT_MATCH_CONFIG));
    // 诸葛 and 鑫 appear nowhere else: one person, seen by a web form and a helpdesk.
    const a = add({ record_id: 'u1', name: '诸葛鑫', phone: '13924681357', city: '成都' });
    const b = add({ record_id: 'u2', name: '諸葛鑫', email: 'zg@corp-mail.cn' });
    // 王伟 twice means nothing.
    const c = add({ record_id: 'w1', name: '王伟', email: 'w1@corp-mail.cn', city: '成都' });
    const d = add({ record_id: 'w2', name: '王伟', email: 'w2@corp-mail.cn' });
    // A rare name in two different cities: two people.
    const e = add({ record_id: 'x1', name: '欧阳鑫', email: 'x1@corp-mail.cn', city: '广州' });
    const f = add({ record_id: 'x2', name: '欧阳鑫', email: 'x2@corp-mail.cn', city: '沈阳' });
    const ids = m.clusterIds();
    expect(ids[b]).toBe(ids[a]);
    expect(m.reason(b)).toBe('fuzzy cluster u1');
    expect(ids[d]).not.toBe(ids[c]);
    expect(ids[f]).not.toBe(ids[e]);
  });

  it('does not join them when their phones differ', () => {
    const m = new BatchMatcher(DEFAULT_MATCH_CONFIG);
    crowd(m);
    const a = m.add(recordFromRow({ record_id: 'u1', name: '诸葛鑫', phone: '13924681357' }, DEFAULT_MATCH_CONFIG));
    const b = m.add(recordFromRow({ record_id: 'u2', name: '诸葛鑫', phone: '13697531864', email: 'zg@corp-mail.cn' }, DEFAULT_MATCH_CONFIG));
    const ids = m.clusterIds();
    expect(ids[b]).not.toBe(ids[a]);
  });
});

describe('BatchMatcher rareClusters.maxExpected', () => {
  it('tightens the cluster-count rule to names the data should rarely hold', () => {
    const run = (maxExpected?: number) => {
      // Only the cluster-level rule under test: no record-level rare-name bonus, no uniqueNames.
      const fields = DEFAULT_MATCH_CONFIG.fuzzy.fields.map((f) => (f.field === 'name' ? { ...f, rare: undefined } : f));
      const rareClusters = { ...DEFAULT_MATCH_CONFIG.fuzzy.rareClusters!, maxExpected };
      const config: MatchConfig = { ...DEFAULT_MATCH_CONFIG, fuzzy: { ...DEFAULT_MATCH_CONFIG.fuzzy, fields, uniqueNames: undefined, rareClusters } };
      const m = new BatchMatcher(config);
      const a = m.add(recordFromRow({ record_id: 'a', name: '王伟', email: 'a@corp-mail.cn', city: '杭州' }, config));
      const b = m.add(recordFromRow({ record_id: 'b', name: '王伟', email: 'b@corp-mail.cn', city: '杭州' }, config));
      // Single-character given names only, 伟 among 36 and 王 one surname in sixteen: this data
      // should hold about one 王伟 besides these two.
      const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华玲建国文辉鹏婷雪晨宇浩欣';
      let k = 0;
      for (const s of '王李张刘陈杨黄赵吴周徐孙马朱胡郭') {
        for (const g of given) if (s + g !== '王伟') m.add(recordFromRow({ record_id: `c${k}`, name: s + g, phone: `1392468${String(k++).padStart(4, '0')}` }, config));
      }
      const ids = m.clusterIds();
      return ids[a] === ids[b];
    };
    // Two clusters hold 王伟 and agree on the city: the plain count lets them join…
    expect(run()).toBe(true);
    // …the estimate does not.
    expect(run(0.5)).toBe(false);
  });
});
