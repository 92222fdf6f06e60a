// Synthetic Chinese customers and their records across channels, with ground truth.
//
//   node bench/match/synthetic/generate.js --people 300000 --seed 7 --out /tmp/synth
//   node bench/match/synthetic/generate.js --people 50000 --seed 7 --out /tmp/easy --rates commonName=0.005,sharedFamilyPhone=0
//   node bench/match/synthetic/generate.js --check
//
// Writes DIR/records.csv (CONTRACT.md §5 columns) and DIR/truth.csv (record_id,person_id).
// Deterministic for a seed; streaming (records go to bucket files and are concatenated), so
// 300,000 people / ~1M records take seconds and little memory. The noise model and its
// rates are in README.md and exported below as NOISE_RATES. No real personal data (PIPL).
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as OpenCC from 'opencc-js';

export const RECORD_COLUMNS = [
  'record_id', 'name', 'phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid',
  'pos_member_id', 'company', 'city', 'title', 'created_at', 'channel',
];

export const CHANNELS = ['web_form', 'meta_lead', 'douyin_lead', 'baidu_lead', 'wechat_oa', 'wecom', 'pos', 'helpdesk', 'ecommerce'];

/** Records per person: 1..6 with these weights (mean 3.23, so 300,000 people ≈ 970,000 records). */
export const RECORDS_PER_PERSON = [0.18, 0.2, 0.2, 0.17, 0.13, 0.12];

/** What people have (per person) and how often noise hits (per record or per field value). */
export const NOISE_RATES = Object.freeze({
  // Population
  commonName: 0.12, // person takes one of the 30 most common full names (张伟, 王芳, 李娜 …)
  singleCharGiven: 0.3, // otherwise a one-character given name (王伟, not 王伟明) from the same 100 characters
  compoundSurname: 0.01, // 欧阳, 司马, 诸葛, 上官
  topCityShare: 0.62, // people living in the 10 largest cities (same-name collisions pile up there)
  hasEmail: 0.6,
  hasUnionid: 0.75,
  hasWecomContact: 0.4,
  posMember: 0.35,
  hasCompany: 0.55,
  secondPhone: 0.08, // a second number (work phone) …
  secondPhoneUse: 0.4, // … used in this share of that person's records
  sharedFamilyPhone: 0.04, // person uses a relative's phone (same surname, same city) …
  sharedFamilyPhoneUse: 0.7, // … in this share of their records
  // Phone, per phone value
  phoneFormatted: 0.45, // +86, 0086, 86-, spaces, dashes, brackets
  phoneFullWidth: 0.05, // full-width digits and ＋
  phoneTransposed: 0.015, // two adjacent digits swapped (after the 3-digit prefix)
  phonePlaceholder: 0.02, // 13800000000, 13800138000, 00000000000, 12345678901, -
  phoneMasked: 0.04, // 138****5678, on ads and e-commerce only
  // Name, per record that carries a name
  nameTraditional: 0.06, // 張偉
  namePinyin: 0.08, // Zhang Wei / ZHANG Wei / Wei Zhang / zhangwei (Meta leads: metaPinyin)
  metaPinyin: 0.35,
  nameNicknameWechat: 0.65, // WeChat OA / WeCom carry a nickname instead of the name
  nameNicknameOther: 0.03,
  nameSalutation: 0.04, // 张先生, 李女士, 王总
  nameTypo: 0.02, // one character replaced by another (often a homophone)
  nameSpaces: 0.05, // 张 伟, 张　伟, trailing blanks
  namePlaceholder: 0.02, // 未知, -, 客户, test
  // Other fields
  fullWidth: 0.04, // whole record's Latin letters and digits in full-width form
  emailCase: 0.1, // ZhangWei@QQ.com
  emailPlaceholder: 0.015, // test@test.com, 123@qq.com, none@none.com
  emailTypo: 0.01, // one letter of the local part dropped
  companyVariant: 0.55, // suffix change/drop, region insert (中国)/(北京), leading city, brackets
  companyTraditional: 0.05,
  companyShortForm: 0.05, // brand + trade only, or brand only
  companyPlaceholder: 0.02, // 无, -, 个人, 未知
  cityVariant: 0.3, // 北京市, Beijing, 广东省深圳市, 廣州, PEKING
  cityPlaceholder: 0.03, // 未知, -, 其他
  cityMoved: 0.03, // a record gives another city (moved, travelling, store in another city)
});

/** The rates of the run in progress: NOISE_RATES with `generate({ rates })` over them. */
let RATES = NOISE_RATES;

/**
 * Parses `--rates commonName=0.005,sharedFamilyPhone=0` into overrides of NOISE_RATES; an
 * unknown name or a value outside 0..1 is an error, not a silent default.
 */
export function parseRates(text) {
  const rates = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value, extra] = part.split('=');
    const v = Number(value);
    if (extra !== undefined || !(name in NOISE_RATES)) throw new Error(`unknown rate "${part}" (known: ${Object.keys(NOISE_RATES).join(', ')})`);
    if (value === undefined || value.trim() === '' || !(v >= 0 && v <= 1)) throw new Error(`rate ${name} must be a number from 0 to 1, got "${value ?? ''}"`);
    rates[name] = v;
  }
  return rates;
}

// Surnames with their share in percent (Ministry of Public Security 2020 ranking) and pinyin.
const SURNAMES = [
  ['王', 'wang', 7.25], ['李', 'li', 7.19], ['张', 'zhang', 6.79], ['刘', 'liu', 5.38], ['陈', 'chen', 4.53],
  ['杨', 'yang', 3.08], ['黄', 'huang', 2.23], ['赵', 'zhao', 2.19], ['吴', 'wu', 2.05], ['周', 'zhou', 1.89],
  ['徐', 'xu', 1.67], ['孙', 'sun', 1.54], ['马', 'ma', 1.44], ['朱', 'zhu', 1.26], ['胡', 'hu', 1.16],
  ['郭', 'guo', 1.15], ['何', 'he', 1.06], ['高', 'gao', 1.0], ['林', 'lin', 0.99], ['罗', 'luo', 0.87],
  ['郑', 'zheng', 0.84], ['梁', 'liang', 0.83], ['谢', 'xie', 0.72], ['宋', 'song', 0.62], ['唐', 'tang', 0.62],
  ['许', 'xu', 0.59], ['韩', 'han', 0.57], ['冯', 'feng', 0.55], ['邓', 'deng', 0.54], ['曹', 'cao', 0.52],
  ['彭', 'peng', 0.5], ['曾', 'zeng', 0.49], ['肖', 'xiao', 0.48], ['田', 'tian', 0.47], ['董', 'dong', 0.46],
  ['袁', 'yuan', 0.43], ['潘', 'pan', 0.43], ['于', 'yu', 0.42], ['蒋', 'jiang', 0.41], ['蔡', 'cai', 0.4],
  ['余', 'yu', 0.39], ['杜', 'du', 0.38], ['叶', 'ye', 0.38], ['程', 'cheng', 0.37], ['苏', 'su', 0.35],
  ['魏', 'wei', 0.35], ['吕', 'lv', 0.34], ['丁', 'ding', 0.33], ['任', 'ren', 0.33], ['沈', 'shen', 0.32],
  ['姚', 'yao', 0.31], ['卢', 'lu', 0.3], ['姜', 'jiang', 0.29], ['崔', 'cui', 0.28], ['钟', 'zhong', 0.28],
  ['谭', 'tan', 0.27], ['陆', 'lu', 0.27], ['汪', 'wang', 0.26], ['范', 'fan', 0.26], ['金', 'jin', 0.25],
  ['单', 'shan', 0.05],
];
const COMPOUND = [['欧阳', 'ouyang', 5], ['司马', 'sima', 1], ['诸葛', 'zhuge', 1], ['上官', 'shangguan', 1]];
// Given-name characters without common alternative readings, with pinyin.
const GIVEN = (
  '伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan 杰jie 娟juan 涛tao 明ming 超chao 秀xiu ' +
  '英ying 霞xia 平ping 刚gang 桂gui 华hua 玲ling 建jian 国guo 文wen 辉hui 鹏peng 婷ting 雪xue 晨chen 宇yu 浩hao 欣xin ' +
  '怡yi 佳jia 子zi 萱xuan 博bo 琳lin 雨yu 梓zi 涵han 轩xuan 俊jun 志zhi 小xiao 红hong 海hai 波bo 斌bin 宁ning 凯kai ' +
  '晓xiao 燕yan 慧hui 颖ying 倩qian 鑫xin 宏hong 飞fei 亮liang 林lin 峰feng 琴qin 云yun 丹dan 青qing 春chun 兰lan ' +
  '梅mei 金jin 玉yu 成cheng 东dong 立li 新xin 振zhen 家jia 嘉jia 思si 诗shi 雅ya 欢huan 阳yang 天tian 一yi 晶jing ' +
  '蕾lei 莉li 瑶yao 璐lu 昊hao 然ran 泽ze 睿rui 铭ming 坤kun 瑞rui 安an 楠nan 婧jing 彤tong 妍yan 哲zhe 鸿hong 翔xiang'
).split(' ').map((s) => [s[0], s.slice(1)]);
const GIVEN_PINYIN = new Map(GIVEN);
const COMMON_NAMES = [
  '张伟', '王伟', '王芳', '李伟', '李娜', '张敏', '李静', '王静', '刘伟', '王秀英', '张丽', '李秀英', '王丽', '张静',
  '张秀英', '李强', '王敏', '李敏', '王磊', '刘洋', '王艳', '王勇', '李军', '张勇', '李杰', '张杰', '张磊', '王强', '李娟', '王军',
];
// Homophones and look-alikes used for one-character typos: what an IME or a clerk gets wrong.
const TYPO_SWAPS = {
  伟: '玮', 芳: '方', 娜: '那', 敏: '民', 静: '晶', 丽: '莉', 强: '蔷', 磊: '蕾', 军: '君', 洋: '阳', 勇: '永', 艳: '燕',
  杰: '洁', 娟: '鹃', 涛: '滔', 明: '铭', 超: '潮', 英: '莹', 霞: '侠', 平: '萍', 华: '桦', 玲: '琳', 建: '健', 国: '帼',
  文: '雯', 辉: '晖', 鹏: '朋', 婷: '亭', 雪: '薛', 宇: '雨', 浩: '昊', 欣: '鑫', 佳: '嘉', 张: '章', 王: '汪', 李: '黎',
  刘: '柳', 陈: '程', 杨: '阳', 黄: '王', 周: '邹', 徐: '许', 林: '琳', 晨: '辰', 涵: '含', 轩: '萱',
};
const CITIES = [
  // name, weight, Latin, province (none for municipalities and SARs)
  ['北京', 12, 'Beijing', ''], ['上海', 12, 'Shanghai', ''], ['广州', 8, 'Guangzhou', '广东'], ['深圳', 9, 'Shenzhen', '广东'],
  ['杭州', 6, 'Hangzhou', '浙江'], ['成都', 6, 'Chengdu', '四川'], ['重庆', 4, 'Chongqing', ''], ['武汉', 4, 'Wuhan', '湖北'],
  ['南京', 4, 'Nanjing', '江苏'], ['苏州', 4, 'Suzhou', '江苏'], ['西安', 3, "Xi'an", '陕西'], ['天津', 3, 'Tianjin', ''],
  ['长沙', 3, 'Changsha', '湖南'], ['郑州', 3, 'Zhengzhou', '河南'], ['青岛', 2, 'Qingdao', '山东'], ['厦门', 2, 'Xiamen', '福建'],
  ['东莞', 2, 'Dongguan', '广东'], ['佛山', 2, 'Foshan', '广东'], ['宁波', 2, 'Ningbo', '浙江'], ['合肥', 2, 'Hefei', '安徽'],
  ['济南', 2, 'Jinan', '山东'], ['沈阳', 2, 'Shenyang', '辽宁'], ['大连', 1, 'Dalian', '辽宁'], ['哈尔滨', 1, 'Harbin', '黑龙江'],
  ['昆明', 1, 'Kunming', '云南'], ['福州', 1, 'Fuzhou', '福建'], ['无锡', 1, 'Wuxi', '江苏'], ['南宁', 1, 'Nanning', '广西'],
  ['贵阳', 1, 'Guiyang', '贵州'], ['南昌', 1, 'Nanchang', '江西'], ['石家庄', 1, 'Shijiazhuang', '河北'], ['太原', 1, 'Taiyuan', '山西'],
  ['香港', 1, 'Hong Kong', ''], ['台北', 0.5, 'Taipei', ''], ['温州', 1, 'Wenzhou', '浙江'], ['珠海', 1, 'Zhuhai', '广东'],
  ['绵阳', 0.5, 'Mianyang', '四川'], ['义乌', 0.5, 'Yiwu', '浙江'], ['昆山', 0.5, 'Kunshan', '江苏'],
];
const OLD_CITY_NAMES = { 北京: 'Peking', 广州: 'Canton', 重庆: 'Chungking', 南京: 'Nanking', 厦门: 'Amoy', 天津: 'Tientsin' };
const MOBILE_PREFIXES = ('134 135 136 137 138 139 147 150 151 152 157 158 159 172 178 182 183 184 187 188 198 ' +
  '130 131 132 145 155 156 166 175 176 185 186 196 133 149 153 173 177 180 181 189 190 191 193 199').split(' ');
const BRAND_CHARS = '华信达通远腾云帆星辰恒泰瑞博创智新盛宏鼎安航卓越联众海天锐思维优凯佳美嘉汇融金源力迅捷蓝光明德福顺启睿晟科'.split('');
const TRADES = ['科技', '网络科技', '信息技术', '贸易', '电子商务', '文化传媒', '实业', '咨询', '教育科技', '医疗器械', '餐饮管理', '物流', '建筑工程', '生物科技'];
const TRADES_EN = { 科技: 'Technology', 网络科技: 'Network Technology', 信息技术: 'Information Technology', 贸易: 'Trading', 电子商务: 'E-commerce', 文化传媒: 'Media', 实业: 'Industrial', 咨询: 'Consulting', 教育科技: 'Education Technology', 医疗器械: 'Medical Devices', 餐饮管理: 'Catering Management', 物流: 'Logistics', 建筑工程: 'Construction', 生物科技: 'Biotech' };
const TITLES = ['经理', '总监', '销售经理', '市场专员', '采购', '工程师', '产品经理', '总经理', 'CEO', '财务', '人事主管', '行政', '店长', '运营', '设计师', '老师', '医生', '学生', ''];
const NICK_WORDS = ['岁月静好', '快乐每一天', '平安是福', '追梦人', '简单', '向日葵', '阳光', '静待花开', '随缘', '知足常乐', '海阔天空', '淡定', '一路向北', '微笑', '晴天', '小确幸', '往事随风', '心若止水'];
const ENGLISH_NAMES = ['Amy', 'Tony', 'Kevin', 'Lisa', 'Coco', 'Jack', 'Lily', 'Leo', 'Eric', 'Vivian', 'Cherry', 'Grace', 'Sunny', 'Jason', 'Emma', 'Linda', 'David', 'Helen'];
const EMOJI = ['🌸', '🍀', '✨', '🌙', '😊', '🐱', '🌈', '☀️', '💕', '🎈', '🌻', '⭐'];
const EMAIL_DOMAINS = [['qq.com', 30], ['163.com', 20], ['126.com', 8], ['gmail.com', 6], ['sina.com', 4], ['foxmail.com', 4], ['hotmail.com', 3], ['outlook.com', 3], ['139.com', 2], ['sohu.com', 1], ['aliyun.com', 1]];
const PHONE_PLACEHOLDERS = ['13800000000', '13800138000', '00000000000', '12345678901', '-', '11111111111', '无'];
const NAME_PLACEHOLDERS = ['未知', '-', '客户', 'test', '无', '先生', 'null', '匿名'];
const EMAIL_PLACEHOLDERS = ['test@test.com', '123@qq.com', 'none@none.com', 'a@a.com', 'test@example.com', '-'];
const COMPANY_PLACEHOLDERS = ['无', '-', '个人', '未知', '暂无', 'N/A'];
const CITY_PLACEHOLDERS = ['未知', '-', '其他', '不详'];
const SALUTATIONS = { m: ['先生', '总', '经理', '老板'], f: ['女士', '小姐', '总', '经理'] };

// Which identifiers each channel really carries, and how often (per record).
const CHANNEL_FIELDS = {
  web_form: { weight: 18, phone: 0.9, email: 0.6, company: 0.55, city: 0.6, title: 0.35, name: 0.97 },
  meta_lead: { weight: 10, phone: 0.95, email: 0.75, company: 0.3, city: 0.5, title: 0.2, name: 1 },
  douyin_lead: { weight: 10, phone: 0.97, city: 0.75, name: 0.9 },
  baidu_lead: { weight: 8, phone: 0.97, company: 0.5, city: 0.8, name: 0.95, title: 0.2 },
  wechat_oa: { weight: 16, phone: 0.15, city: 0.8, name: 1, openid: 1, unionid: 0.85 },
  wecom: { weight: 10, phone: 0.5, company: 0.4, city: 0.3, name: 1, wecom: 1, unionid: 0.6, title: 0.2 },
  pos: { weight: 12, phone: 0.95, city: 1, name: 0.7, member: 1 },
  helpdesk: { weight: 6, phone: 0.5, email: 0.85, company: 0.4, name: 0.9 },
  ecommerce: { weight: 10, phone: 0.9, email: 0.3, city: 0.9, name: 0.95, openid: 0.3 },
};
const CHANNEL_LIST = Object.keys(CHANNEL_FIELDS);

// ---------- PRNG: sfc32 seeded through splitmix32, so every seed gives a fixed stream ----------
function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

class Gen {
  constructor(seed) {
    this.r = makeRng(seed);
  }
  chance(p) { return this.r() < p; }
  int(n) { return Math.floor(this.r() * n); }
  pick(arr) { return arr[Math.floor(this.r() * arr.length)]; }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(this.r() * 10); return s; }
  chars(n, alphabet) { let s = ''; for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.r() * alphabet.length)]; return s; }
}

function weighted(items, weightOf) {
  const cum = [];
  let total = 0;
  for (const it of items) cum.push((total += weightOf(it)));
  return (g) => {
    const x = g.r() * total;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > x) hi = mid; else lo = mid + 1; }
    return items[lo];
  };
}

const pickSurname = weighted(SURNAMES, (s) => s[2]);
const pickCity = weighted(CITIES, (c) => c[1]);
const pickChannel = weighted(CHANNEL_LIST, (c) => CHANNEL_FIELDS[c].weight);
const pickDomain = weighted(EMAIL_DOMAINS, (d) => d[1]);
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const SURNAME_PINYIN = new Map([...SURNAMES.map((s) => [s[0], s[1]]), ...COMPOUND.map((c) => [c[0], c[1]])]);

let toTraditional;
function traditional(text) {
  toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' });
  return toTraditional(text);
}

function fullWidth(text) {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c >= 0x21 && c <= 0x7e ? String.fromCharCode(c + 0xfee0) : ch === ' ' ? '\u3000' : ch;
  }
  return out;
}

function cap(s) { return s ? s[0].toUpperCase() + s.slice(1) : s; }

// ---------- people ----------
function makeCompanies(g, count) {
  const companies = [];
  for (let i = 0; i < count; i++) {
    const city = pickCity(g);
    const latinBrand = g.chance(0.1);
    const brand = latinBrand ? g.chars(2 + g.int(3), 'ABCDEFGHJKLMNPQRSTWXYZ') : g.pick(BRAND_CHARS) + g.pick(BRAND_CHARS);
    const trade = g.pick(TRADES);
    const form = g.chance(0.8) ? '有限公司' : g.chance(0.5) ? '股份有限公司' : '集团有限公司';
    // A few companies are branches: a different legal entity from the parent, never the same key.
    const branch = g.chance(0.05) ? `${pickCity(g)[0]}分公司` : '';
    companies.push({ city: city[0], brand, trade, form, branch, domain: `${g.chars(2 + g.int(4), 'abcdefghijklmnopqrstuvwxyz')}.com${g.chance(0.5) ? '.cn' : ''}` });
  }
  return companies;
}

function makePerson(g, index, companies, families) {
  const gender = g.chance(0.5) ? 'm' : 'f';
  let surname, given;
  if (g.chance(RATES.commonName)) {
    const full = g.pick(COMMON_NAMES);
    surname = full[0];
    given = full.slice(1);
  } else {
    const s = g.chance(RATES.compoundSurname) ? g.pick(COMPOUND) : pickSurname(g);
    surname = s[0];
    given = g.pick(GIVEN)[0] + (g.chance(1 - RATES.singleCharGiven) ? g.pick(GIVEN)[0] : '');
  }
  const top = g.chance(RATES.topCityShare);
  const city = top ? CITIES[g.int(10)] : pickCity(g);
  const person = {
    id: `P${String(index + 1).padStart(7, '0')}`,
    gender, surname, given, city,
    phone: g.pick(MOBILE_PREFIXES) + g.digits(8),
    phone2: g.chance(RATES.secondPhone) ? g.pick(MOBILE_PREFIXES) + g.digits(8) : undefined,
    familyPhone: undefined,
    email: undefined,
    unionid: g.chance(RATES.hasUnionid) ? `o${g.chars(27, ID_ALPHABET)}` : undefined,
    openidOa: `o${g.chars(27, ID_ALPHABET)}`,
    openidMp: `o${g.chars(27, ID_ALPHABET)}`,
    wecom: g.chance(RATES.hasWecomContact) ? `wm${g.chars(30, ID_ALPHABET)}` : undefined,
    member: g.chance(RATES.posMember) ? `M${g.digits(9)}` : undefined,
    company: g.chance(RATES.hasCompany) ? companies[g.int(companies.length)] : undefined,
    title: g.pick(TITLES),
    nickname: undefined,
  };
  // Families: the previous person of the same surname in the same city lends a phone.
  const familyKey = surname + city[0];
  const relative = families.get(familyKey);
  if (relative && g.chance(RATES.sharedFamilyPhone)) person.familyPhone = relative;
  if (g.chance(0.3)) families.set(familyKey, person.phone);
  if (g.chance(RATES.hasEmail)) person.email = makeEmail(g, person);
  person.nickname = makeNickname(g, person);
  return person;
}

function namePinyin(person) {
  const sur = SURNAME_PINYIN.get(person.surname) ?? '';
  const given = [...person.given].map((c) => GIVEN_PINYIN.get(c) ?? '').join('');
  return { sur, given };
}

function makeEmail(g, person) {
  const { sur, given } = namePinyin(person);
  const [domain] = pickDomain(g);
  if (domain === 'qq.com' && g.chance(0.7)) return `${1 + g.int(9)}${g.digits(5 + g.int(5))}@qq.com`;
  if (person.company && g.chance(0.25)) return `${given[0] ?? 'x'}${sur}@${person.company.domain}`;
  const local = g.pick([`${sur}${given}`, `${given}.${sur}`, `${sur}${given}${g.digits(2)}`, `${sur}_${given}${g.digits(4)}`, `${given[0] ?? ''}${sur}${g.digits(3)}`]);
  return `${local}@${domain}`;
}

function makeNickname(g, person) {
  const last = person.given[person.given.length - 1];
  switch (g.int(8)) {
    case 0: return `小${person.surname.length === 1 ? person.surname : person.surname[0]}`;
    case 1: return `阿${last}`;
    case 2: return last + last;
    case 3: return g.pick(ENGLISH_NAMES);
    case 4: return g.pick(NICK_WORDS);
    case 5: return g.pick(EMOJI) + g.pick(NICK_WORDS) + g.pick(EMOJI);
    case 6: return `${g.pick(EMOJI)}${person.surname}${person.given}${g.pick(EMOJI)}`;
    default: return g.pick(ENGLISH_NAMES) + g.pick(EMOJI);
  }
}

// ---------- noisy values ----------
function formatPhone(g, national) {
  const a = national.slice(0, 3), b = national.slice(3, 7), c = national.slice(7);
  let s = national;
  if (g.chance(RATES.phoneFormatted)) {
    s = g.pick([
      `+86${national}`, `+86 ${a} ${b} ${c}`, `0086${national}`, `0086 ${national}`, `86-${a}-${b}-${c}`, `${a}-${b}-${c}`,
      `${a} ${b} ${c}`, `(+86) ${national}`, `+86-${national}`, `(86)${a}${b}${c}`, `${a}-${b}${c}`, `+86 ${a}-${b}-${c}`,
    ]);
  }
  if (g.chance(RATES.phoneFullWidth)) s = fullWidth(s);
  return s;
}

function noisyPhone(g, person, channel) {
  if (g.chance(RATES.phonePlaceholder)) return g.pick(PHONE_PLACEHOLDERS);
  let national = person.phone;
  if (person.familyPhone && g.chance(RATES.sharedFamilyPhoneUse)) national = person.familyPhone;
  else if (person.phone2 && g.chance(RATES.secondPhoneUse)) national = person.phone2;
  if ((channel === 'ecommerce' || channel.endsWith('_lead')) && g.chance(RATES.phoneMasked)) {
    return `${national.slice(0, 3)}****${national.slice(7)}`;
  }
  if (g.chance(RATES.phoneTransposed)) {
    const i = 3 + g.int(7);
    national = national.slice(0, i) + national[i + 1] + national[i] + national.slice(i + 2);
  }
  return formatPhone(g, national);
}

function noisyName(g, person, channel) {
  if (g.chance(RATES.namePlaceholder)) return g.pick(NAME_PLACEHOLDERS);
  const wechat = channel === 'wechat_oa' || channel === 'wecom';
  if (g.chance(wechat ? RATES.nameNicknameWechat : RATES.nameNicknameOther)) {
    // WeCom remark names often add the company: 张伟-华信科技.
    if (channel === 'wecom' && person.company && g.chance(0.3)) return `${person.surname}${person.given}-${person.company.brand}${person.company.trade}`;
    return person.nickname;
  }
  if (g.chance(RATES.nameSalutation)) return person.surname + g.pick(SALUTATIONS[person.gender]);
  let surname = person.surname;
  let given = person.given;
  if (g.chance(RATES.nameTypo)) {
    const pos = g.int(surname.length + given.length);
    const full = [...surname, ...given];
    full[pos] = TYPO_SWAPS[full[pos]] ?? g.pick(GIVEN)[0];
    surname = full.slice(0, surname.length).join('');
    given = full.slice(surname.length).join('');
  }
  if (g.chance(channel === 'meta_lead' ? RATES.metaPinyin : RATES.namePinyin)) {
    const sur = SURNAME_PINYIN.get(surname) ?? namePinyin(person).sur;
    const giv = [...given].map((c) => GIVEN_PINYIN.get(c) ?? '').join('') || namePinyin(person).given;
    return g.pick([
      `${cap(sur)} ${cap(giv)}`, `${sur.toUpperCase()} ${cap(giv)}`, `${cap(giv)} ${cap(sur)}`, `${sur}${giv}`,
      `${sur.toUpperCase()} ${giv.toUpperCase()}`, `${cap(sur)}${giv}`,
    ]);
  }
  let name = surname + given;
  if (g.chance(RATES.nameTraditional)) name = traditional(name);
  if (g.chance(RATES.nameSpaces)) {
    name = g.pick([`${name[0]} ${name.slice(1)}`, `${name[0]}\u3000${name.slice(1)}`, ` ${name} `, [...name].join(' ')]);
  }
  return name;
}

function noisyEmail(g, person) {
  if (g.chance(RATES.emailPlaceholder)) return g.pick(EMAIL_PLACEHOLDERS);
  let email = person.email;
  if (g.chance(RATES.emailTypo)) {
    const at = email.indexOf('@');
    if (at > 2) {
      const i = g.int(at);
      email = email.slice(0, i) + email.slice(i + 1);
    }
  }
  if (g.chance(RATES.emailCase)) email = email.split('@').map((p, i) => (i === 0 ? cap(p) : p.toUpperCase())).join('@');
  if (g.chance(0.03)) email = ` ${email} `;
  if (email.endsWith('@gmail.com') && g.chance(0.3)) email = email.replace('@', '+crm@');
  return email;
}

function noisyCompany(g, company) {
  if (g.chance(RATES.companyPlaceholder)) return g.pick(COMPANY_PLACEHOLDERS);
  const { city, brand, trade, form, branch } = company;
  if (g.chance(RATES.companyShortForm)) return g.chance(0.5) ? brand + trade : brand;
  let s = `${city}${brand}${trade}${form}${branch}`;
  if (g.chance(RATES.companyVariant)) {
    const suffix = g.pick(['有限公司', '股份有限公司', '', '集团', '有限责任公司', form, form]);
    s = g.pick([
      `${brand}${trade}${suffix}`,
      `${brand}(${city})${trade}${suffix}`,
      `${brand}（${city}）${trade}${suffix}`,
      `${brand}(中国)${trade}${suffix}`,
      `${brand}（中国）${trade}${suffix}`,
      `${city}市${brand}${trade}${suffix}`,
      `${city} ${brand}${trade} ${suffix}`,
      `${brand}${trade}（${city}）${suffix}`,
    ]) + branch;
    if (g.chance(0.05)) s = `${/^[A-Z]+$/.test(brand) ? brand : cap(brand)} ${TRADES_EN[trade]} ${g.pick(['Co., Ltd.', 'Co.,Ltd', 'Limited', 'Inc.', '(China) Co., Ltd.'])}`;
  }
  if (g.chance(RATES.companyTraditional)) s = traditional(s);
  return s;
}

function noisyCity(g, person) {
  if (g.chance(RATES.cityPlaceholder)) return g.pick(CITY_PLACEHOLDERS);
  const [name, , latin, province] = g.chance(RATES.cityMoved) ? pickCity(g) : person.city;
  if (!g.chance(RATES.cityVariant)) return name;
  const options = [`${name}市`, latin, latin.toUpperCase(), traditional(name), `${name} `];
  if (province) options.push(`${province}省${name}市`, `${province}${name}`, `${province} ${name}`);
  else options.push(`${name} ${name}市`, `中国${name}`);
  if (OLD_CITY_NAMES[name]) options.push(OLD_CITY_NAMES[name]);
  return g.pick(options);
}

function makeRecord(g, person, channel, createdAt) {
  const f = CHANNEL_FIELDS[channel];
  const rec = { name: '', phone: '', email: '', wechat_unionid: '', wechat_openid: '', wecom_external_userid: '', pos_member_id: '', company: '', city: '', title: '', created_at: createdAt, channel };
  if (f.name && g.chance(f.name)) rec.name = noisyName(g, person, channel);
  if (f.phone && g.chance(f.phone)) rec.phone = noisyPhone(g, person, channel);
  if (f.email && person.email && g.chance(f.email)) rec.email = noisyEmail(g, person);
  if (f.unionid && person.unionid && g.chance(f.unionid)) rec.wechat_unionid = person.unionid;
  if (f.openid && g.chance(f.openid)) rec.wechat_openid = channel === 'wechat_oa' ? person.openidOa : person.openidMp;
  if (f.wecom && person.wecom) rec.wecom_external_userid = person.wecom;
  if (f.member && person.member) rec.pos_member_id = person.member;
  if (f.company && person.company && g.chance(f.company)) rec.company = noisyCompany(g, person.company);
  if (f.city && g.chance(f.city)) rec.city = noisyCity(g, person);
  if (f.title && person.title && g.chance(f.title)) rec.title = person.title;
  if (g.chance(RATES.fullWidth)) {
    for (const k of ['phone', 'email', 'company', 'name']) if (/[A-Za-z0-9]/.test(rec[k])) rec[k] = fullWidth(rec[k]);
  }
  return rec;
}

/** Channels this person can appear in: POS only for members, WeCom only for WeCom contacts. */
function channelFor(g, person) {
  for (let tries = 0; tries < 8; tries++) {
    const c = pickChannel(g);
    if (c === 'pos' && !person.member) continue;
    if (c === 'wecom' && !person.wecom) continue;
    if (c === 'helpdesk' && !person.email && g.chance(0.6)) continue;
    return c;
  }
  return 'web_form';
}

function csvField(v) {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

class BufferedFile {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
  }
  write(s) {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 15) this.flush();
  }
  flush() {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const BUCKETS = 64;
const START = Date.UTC(2024, 0, 1);
const SPAN = Date.UTC(2026, 10, 1) - START;

/**
 * Generates `people` persons and their records into `out`. Records are spread over 64
 * bucket files at random and concatenated, so one person's records are not adjacent;
 * record ids are a random permutation, so they say nothing about the person either.
 */
export function generate({ people, seed = 1, out, rates = {} }) {
  RATES = Object.freeze({ ...NOISE_RATES, ...rates });
  try {
    return generateWith({ people, seed, out });
  } finally {
    RATES = NOISE_RATES;
  }
}

function generateWith({ people, seed, out }) {
  mkdirSync(out, { recursive: true });
  const g = new Gen(seed);
  // Pass 1: records per person, so record ids can be a permutation of 1..total.
  const counts = new Uint8Array(people);
  const pickCount = weighted([1, 2, 3, 4, 5, 6], (n) => RECORDS_PER_PERSON[n - 1]);
  let total = 0;
  for (let i = 0; i < people; i++) total += counts[i] = pickCount(g);
  const ids = new Uint32Array(total);
  for (let i = 0; i < total; i++) ids[i] = i + 1;
  for (let i = total - 1; i > 0; i--) {
    const j = g.int(i + 1);
    const t = ids[i]; ids[i] = ids[j]; ids[j] = t;
  }
  const width = String(total).length;
  const companies = makeCompanies(g, Math.max(50, Math.floor(people / 6)));
  const families = new Map();
  const tmp = mkdtempSync(join(out, '.buckets-'));
  const buckets = Array.from({ length: BUCKETS }, (_, i) => new BufferedFile(join(tmp, `${i}.csv`)));
  const truth = new BufferedFile(join(out, 'truth.csv'));
  truth.write('record_id,person_id\n');
  let next = 0;
  for (let i = 0; i < people; i++) {
    const person = makePerson(g, i, companies, families);
    for (let k = 0; k < counts[i]; k++) {
      const recordId = `R${String(ids[next++]).padStart(width, '0')}`;
      const createdAt = new Date(START + Math.floor(g.r() * SPAN)).toISOString().slice(0, 19) + 'Z';
      const rec = makeRecord(g, person, channelFor(g, person), createdAt);
      let line = recordId;
      for (let c = 1; c < RECORD_COLUMNS.length; c++) line += ',' + csvField(rec[RECORD_COLUMNS[c]]);
      buckets[g.int(BUCKETS)].write(line + '\n');
      truth.write(`${recordId},${person.id}\n`);
    }
  }
  truth.close();
  for (const b of buckets) b.close();
  const records = new BufferedFile(join(out, 'records.csv'));
  records.write(RECORD_COLUMNS.join(',') + '\n');
  for (let i = 0; i < BUCKETS; i++) {
    records.flush();
    writeSync(records.fd, readFileSync(join(tmp, `${i}.csv`)));
  }
  records.close();
  rmSync(tmp, { recursive: true, force: true });
  return { people, records: total, out };
}

// ---------- self-check ----------
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function assert(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}

function digest(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Generates 1,000 people twice and checks the invariants the bench relies on. */
export function check() {
  const dir = mkdtempSync(join(tmpdir(), 'synthetic-check-'));
  try {
    const a = generate({ people: 1000, seed: 42, out: join(dir, 'a') });
    generate({ people: 1000, seed: 42, out: join(dir, 'b') });
    generate({ people: 1000, seed: 43, out: join(dir, 'c') });
    assert(digest(join(dir, 'a/records.csv')) === digest(join(dir, 'b/records.csv')), 'same seed, same records');
    assert(digest(join(dir, 'a/truth.csv')) === digest(join(dir, 'b/truth.csv')), 'same seed, same truth');
    assert(digest(join(dir, 'a/records.csv')) !== digest(join(dir, 'c/records.csv')), 'another seed, other records');

    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'a/records.csv'), 'utf8'));
    const [truthHeader, ...truthRows] = parseCsv(readFileSync(join(dir, 'a/truth.csv'), 'utf8'));
    assert(header.join(',') === RECORD_COLUMNS.join(','), `records header ${header}`);
    assert(truthHeader.join(',') === 'record_id,person_id', `truth header ${truthHeader}`);
    assert(rows.length === a.records && truthRows.length === a.records, 'one truth row per record');
    assert(rows.every((r) => r.length === RECORD_COLUMNS.length), 'every row has every column');
    const truth = new Map(truthRows.map(([r, p]) => [r, p]));
    assert(truth.size === rows.length, 'record ids are unique');
    const perPerson = new Map();
    for (const r of rows) {
      const p = truth.get(r[0]);
      assert(p, `record ${r[0]} has a person`);
      perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
    }
    assert(perPerson.size === 1000, `1000 people, got ${perPerson.size}`);
    assert([...perPerson.values()].every((n) => n >= 1 && n <= 6), 'each person has 1 to 6 records');
    const col = Object.fromEntries(RECORD_COLUMNS.map((c, i) => [c, i]));
    assert(rows.every((r) => CHANNELS.includes(r[col.channel])), 'known channels');
    assert(rows.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r[col.created_at])), 'ISO created_at');
    const idCols = ['phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid', 'pos_member_id'];
    const noId = rows.filter((r) => idCols.every((c) => !r[col[c]])).length;
    assert(noId / rows.length < 0.08, `few records without any identifier (${noId})`);
    for (const channel of ['wechat_oa']) {
      const rs = rows.filter((r) => r[col.channel] === channel);
      assert(rs.every((r) => r[col.wechat_openid]), 'WeChat OA records carry an openid');
      assert(rs.filter((r) => r[col.phone]).length / rs.length < 0.3, 'WeChat OA records seldom carry a phone');
    }
    assert(rows.filter((r) => r[col.channel] === 'pos').every((r) => r[col.pos_member_id]), 'POS records carry a member id');

    // The noise is there: formats, full width, placeholders, traditional, pinyin, nicknames.
    const phones = rows.map((r) => r[col.phone]).filter(Boolean);
    const share = (xs, re) => xs.filter((x) => re.test(x)).length / xs.length;
    assert(share(phones, /^(?:\+86|0086|86-|\(\+86\)|\(86\))/) > 0.1, 'country prefixes');
    assert(share(phones, /[\uff10-\uff19]/) > 0.01, 'full-width digits');
    assert(phones.some((p) => p === '13800000000' || p === '13800138000' || p === '00000000000' || p === '12345678901'), 'placeholder phones');
    const names = rows.map((r) => r[col.name]).filter(Boolean);
    assert(names.some((n) => /[張陳劉楊趙黃吳許鄭謝]/.test(n)), 'traditional names');
    assert(share(names, /^[A-Za-z]+(?: [A-Za-z]+)?$/) > 0.05, 'pinyin and English names');
    assert(names.some((n) => /\p{Extended_Pictographic}/u.test(n)), 'emoji nicknames');
    assert(names.some((n) => /^[张王李刘陈][先生女士总经理老板小姐]+$/.test(n)), 'salutations');
    assert(rows.some((r) => /[（(]中国[)）]/.test(r[col.company])), 'region inserts in company names');
    assert(rows.some((r) => r[col.email] === 'test@test.com'), 'placeholder e-mails');

    // Same common name in the same city for different people.
    const byNameCity = new Map();
    for (const r of rows) {
      if (!COMMON_NAMES.includes(r[col.name]) || !r[col.city]) continue;
      const k = r[col.name] + '|' + r[col.city];
      (byNameCity.get(k) ?? byNameCity.set(k, new Set()).get(k)).add(truth.get(r[0]));
    }
    assert([...byNameCity.values()].some((s) => s.size >= 2), 'two people with one common name in one city');
    // Shared family phones: one plain 11-digit number used by two people.
    const byPhone = new Map();
    for (const r of rows) {
      const d = r[col.phone].replace(/\D/g, '').replace(/^(?:0086|86)(?=1\d{10}$)/, '');
      if (!/^1[3-9]\d{9}$/.test(d) || /^138001380|^1380000/.test(d)) continue;
      (byPhone.get(d) ?? byPhone.set(d, new Set()).get(d)).add(truth.get(r[0]));
    }
    assert([...byPhone.values()].some((s) => s.size >= 2), 'a phone shared by two people');
    // Records of one person are spread through the file, not adjacent.
    let adjacent = 0;
    for (let i = 1; i < rows.length; i++) if (truth.get(rows[i][0]) === truth.get(rows[i - 1][0])) adjacent++;
    assert(adjacent / rows.length < 0.1, `records are shuffled (${adjacent} adjacent pairs)`);

    // Rates can be changed for one run, and only known rates to values from 0 to 1.
    generate({ people: 1000, seed: 42, out: join(dir, 'd'), rates: { namePlaceholder: 0 } });
    const [, ...plain] = parseCsv(readFileSync(join(dir, 'd/records.csv'), 'utf8'));
    assert(!plain.some((r) => NAME_PLACEHOLDERS.includes(r[col.name])), 'namePlaceholder=0 leaves no placeholder names');
    assert(rows.some((r) => NAME_PLACEHOLDERS.includes(r[col.name])), 'the default rates do give placeholder names');
    assert(RATES === NOISE_RATES, 'the default rates are back after a run');
    assert(JSON.stringify(parseRates('commonName=0.005, sharedFamilyPhone=0')) === '{"commonName":0.005,"sharedFamilyPhone":0}', 'parseRates');
    for (const bad of ['commonNames=0.1', 'commonName=2', 'commonName=', 'commonName=x', 'commonName=0.1=2']) {
      let threw = false;
      try { parseRates(bad); } catch { threw = true; }
      assert(threw, `parseRates rejects ${bad}`);
    }
    return { people: 1000, records: rows.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const args = { people: 10000, seed: 1, out: undefined, check: false, rates: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') args.check = true;
    else if (a === '--people') args.people = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--rates') args.rates = parseRates(argv[++i] ?? '');
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`generate.js: ${e.message}`);
    process.exit(2);
  }
  const t0 = Date.now();
  if (args.check) {
    const r = check();
    console.log(`check passed: ${r.people} people, ${r.records} records (${Date.now() - t0} ms)`);
  } else {
    if (!args.out || !Number.isInteger(args.people) || args.people < 1 || !Number.isFinite(args.seed)) {
      console.error('usage: generate.js --people N --seed S --out DIR [--rates name=value,…] | --check');
      process.exit(2);
    }
    const r = generate({ people: args.people, seed: args.seed, out: resolve(args.out), rates: args.rates });
    const changed = Object.entries(args.rates).map(([k, v]) => `${k}=${v}`).join(',');
    console.log(`generated ${r.people} people, ${r.records} records into ${r.out}${changed ? ` with ${changed}` : ''} (${Date.now() - t0} ms)`);
  }
}
