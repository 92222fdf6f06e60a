// A small synthetic Chinese multi-channel generator, used by match.bench.js only when the
// full generator (bench/match/synthetic/generate.js) is not there. Noise model:
// - phones in many formats (+86, 0086, dashes, spaces, brackets, full-width digits); 4 % of
//   people share a family phone with a relative (same surname, same city, other given name);
// - names: simplified, traditional (OpenCC), pinyin in either order, inner spaces, a typo in
//   the given name (3 %), salutations (王先生) and WeChat nicknames that carry no name;
// - companies with legal-form and (中国) variants, traditional characters, English suffixes;
// - cities as 上海 / 上海市 / Shanghai; placeholder values (13800000000, test@test.com, 未知);
// - common names repeated in one city (a small given-name pool) so that name + city is not enough.
// Usage: node mini-synthetic.generator.js --people N --seed S --out DIR
import { mkdirSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const people = Number(args.people ?? 10000);
let seed = Number(args.seed ?? 42) >>> 0 || 1;
const out = args.out ?? '/tmp/synthetic';
mkdirSync(out, { recursive: true });

function rand() {
  // xorshift32: reproducible for a seed.
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const chance = (p) => rand() < p;
const toTrad = OpenCC.Converter({ from: 'cn', to: 'hk' });

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马诸葛'.match(/欧阳|司马|诸葛|./gu);
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红飞鹏辉建国志文斌宇浩凯俊鑫晨欣怡佳琪子涵雨轩博思梦瑶颖婷雪慧晓丹宁海波'.split('');
const CITIES = [
  ['上海', ['上海', '上海市', 'Shanghai']],
  ['北京', ['北京', '北京市', 'Beijing']],
  ['广州', ['广州', '广州市', '廣州']],
  ['深圳', ['深圳', '深圳市', 'Shenzhen']],
  ['杭州', ['杭州', '杭州市', 'Hangzhou']],
  ['成都', ['成都', '成都市']],
  ['南京', ['南京', '南京市']],
  ['武汉', ['武汉', '武汉市', '武漢']],
];
const BRANDS = '华腾阿里百度京东美团字节小米网易携程顺丰海尔格力万科碧桂园蓝海星河云帆天成金石恒通宏达鼎盛'.match(/../gu);
const TRADES = ['科技', '信息技术', '贸易', '电子商务', '咨询', '网络'];
const TITLES = ['经理', '总监', '工程师', '采购', '销售', 'CEO', '主管', '专员'];
const NICKS = ['小王', '阿强', '🌸', 'Amy', '岁月静好', 'Tony', '老李', 'Coco', '快乐每一天', '王先生'];

function phoneFormat(p) {
  switch (Math.floor(rand() * 7)) {
    case 0: return `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
    case 1: return `0086-${p}`;
    case 2: return `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`;
    case 3: return p.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 4: return `(+86)${p}`;
    default: return p;
  }
}
function nameVariant(name) {
  const r = rand();
  if (r < 0.1) return toTrad(name);
  if (r < 0.18) {
    const py = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' });
    const s = name.length > 2 && /^(欧阳|司马|诸葛)/.test(name) ? 2 : 1;
    const sur = py.slice(0, s).join('');
    const giv = py.slice(s).join('');
    const cap = (w) => w[0].toUpperCase() + w.slice(1);
    return chance(0.5) ? `${cap(sur)} ${cap(giv)}` : `${cap(giv)} ${cap(sur)}`;
  }
  if (r < 0.22) return name.split('').join(' ');
  if (r < 0.25) return name.slice(0, -1) + pick(GIVEN);
  return name;
}
function companyVariant(brand, trade) {
  const base = brand + trade;
  switch (Math.floor(rand() * 6)) {
    case 0: return `${base}有限公司`;
    case 1: return `${brand}(中国)${trade}有限公司`;
    case 2: return `${base}股份有限公司`;
    case 3: return toTrad(`${base}有限公司`);
    case 4: return `${base}（中国）有限公司`;
    default: return base;
  }
}
let uid = 0;
const id = (prefix, n) => prefix + (++uid).toString(36).padStart(n, '0');
const freshPhone = () => `1${pick('3456789')}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;

const rec = createWriteStream(join(out, 'records.csv'));
const truth = createWriteStream(join(out, 'truth.csv'));
const COLS = ['record_id', 'name', 'phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid', 'pos_member_id', 'company', 'city', 'title', 'created_at', 'channel'];
const esc = (v) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
rec.write(COLS.join(',') + '\n');
truth.write('record_id,person_id\n');
let recordNo = 0;
let lastFamily;
let buf = [];
let tbuf = [];
async function flush() {
  if (!rec.write(buf.join(''))) await once(rec, 'drain');
  if (!truth.write(tbuf.join(''))) await once(truth, 'drain');
  buf = [];
  tbuf = [];
}
for (let p = 0; p < people; p++) {
  const family = lastFamily && chance(0.04) ? lastFamily : undefined;
  const surname = family ? family.surname : pick(SURNAMES);
  const name = surname + pick(GIVEN) + (chance(0.6) ? pick(GIVEN) : '');
  const [city, cityForms] = family ? family.city : pick(CITIES);
  const phone = family ? family.phone : freshPhone();
  const person = {
    name, phone, city: [city, cityForms],
    phone2: chance(0.1) ? freshPhone() : undefined,
    email: chance(0.5) ? `${pinyin(name, { toneType: 'none', separator: '' }).replace(/[^a-z]/g, '')}${Math.floor(rand() * 1000)}@${pick(['qq.com', '163.com', 'gmail.com', 'corp.cn'])}` : undefined,
    brand: pick(BRANDS), trade: pick(TRADES), title: pick(TITLES),
    unionid: id('oU', 10), openid: id('oP', 10), wecom: id('wm', 10), pos: id('M', 8),
  };
  lastFamily = { surname, city: [city, cityForms], phone };
  const n = 1 + Math.floor(rand() * rand() * 5);
  for (let k = 0; k < n; k++) {
    const ch = pick(['web_form', 'wechat', 'wecom', 'pos', 'lead_ad']);
    const r = { record_id: `r${++recordNo}`, channel: ch, created_at: `2026-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-15` };
    const cityV = chance(0.85) ? pick(cityForms) : undefined;
    const ph = () => (chance(0.03) ? '13800000000' : phoneFormat(person.phone2 && chance(0.3) ? person.phone2 : person.phone));
    if (ch === 'web_form') Object.assign(r, { name: nameVariant(name), phone: chance(0.9) ? ph() : undefined, email: person.email && chance(0.7) ? (chance(0.2) ? person.email.toUpperCase() : person.email) : chance(0.03) ? 'test@test.com' : undefined, company: chance(0.7) ? companyVariant(person.brand, person.trade) : undefined, city: cityV, title: chance(0.5) ? person.title : undefined });
    else if (ch === 'wechat') Object.assign(r, { name: chance(0.5) ? pick(NICKS) : nameVariant(name), wechat_unionid: person.unionid, wechat_openid: chance(0.5) ? person.openid : undefined, city: cityV });
    else if (ch === 'wecom') Object.assign(r, { name: nameVariant(name), wecom_external_userid: person.wecom, wechat_unionid: chance(0.5) ? person.unionid : undefined, phone: chance(0.5) ? ph() : undefined, company: chance(0.5) ? companyVariant(person.brand, person.trade) : undefined });
    else if (ch === 'pos') Object.assign(r, { name: chance(0.8) ? nameVariant(name) : '未知', pos_member_id: person.pos, phone: chance(0.7) ? ph() : undefined, city: cityV });
    else Object.assign(r, { name: nameVariant(name), phone: chance(0.25) ? `${person.phone.slice(0, 3)}****${person.phone.slice(7)}` : ph(), city: cityV, company: chance(0.3) ? companyVariant(person.brand, person.trade) : undefined });
    buf.push(COLS.map((c) => esc(r[c])).join(',') + '\n');
    tbuf.push(`${r.record_id},p${p}\n`);
  }
  if (buf.length >= 5000) await flush();
}
await flush();
rec.end();
truth.end();
await Promise.all([once(rec, 'finish'), once(truth, 'finish')]);
console.error(`mini-synthetic: ${people} people, ${recordNo} records → ${out}`);
