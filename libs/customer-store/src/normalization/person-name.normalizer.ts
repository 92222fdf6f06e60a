import { pinyin } from 'pinyin-pro';
import { hasHan, toSimplified } from './chinese-script.util.js';
import { isJunkIdentity } from './junk-identity.util.js';
import { asText, toHalfWidth } from './text.normalizer.js';

export interface NormalizedPersonName {
  /** Cleaned for display: half-width, trimmed, Han names without inner spaces; original script kept. */
  display: string;
  /** Exact-match key: simplified Han without salutations (张三), or lower-case Latin tokens (john smith). */
  matchKey: string;
  /** Toneless pinyin, syllables joined (张三, Zhang San, zhangsan → zhangsan); '' when the name is not Chinese. */
  pinyin: string;
  /** First letter of each syllable (zs); '' when there is no pinyin. */
  pinyinInitials: string;
  /** Syllables sorted, so San Zhang = Zhang San (sanzhang); '' when there is no pinyin. */
  pinyinSorted: string;
  /** The toneless syllables in order (['zhang', 'san']); empty when there is no pinyin. */
  pinyinSyllables: readonly string[];
  script: 'han' | 'latin' | 'mixed';
  /** A nickname, a surname with a salutation (王先生) or a lone English given name: weak evidence at best. */
  weak: boolean;
}

// Compound surnames first, so 欧阳娜娜 is 欧阳 + 娜娜 rather than 欧 + 阳娜娜.
export const COMPOUND_SURNAMES = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯',
  '令狐', '端木', '申屠', '轩辕', '西门', '南宫', '独孤', '百里', '呼延', '澹台', '万俟', '闻人', '赫连',
  '钟离', '宗政', '濮阳', '太史', '第五', '拓跋', '司空', '东郭', '左丘', '公冶', '微生', '羊舌',
] as const;

// The ~400 most frequent single surnames (over 95 % of the population).
const SINGLE_SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由钮芦洪',
);

// Titles after a surname (王先生, 李总, 张经理), longest first.
const SALUTATION_SUFFIXES = [
  '老板娘', '总经理', '董事长', '先生', '女士', '小姐', '太太', '夫人', '老板', '经理', '总监', '主任',
  '老师', '医生', '师傅', '同学', '阿姨', '总', '董', '工', '哥', '姐', '姨', '叔',
];
const LATIN_SALUTATION = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle)\b\.?\s*/i;

// English given names people use on WeChat and in offices; on their own they name nobody.
const ENGLISH_GIVEN_NAMES = new Set(
  ('amy anna annie alice angel angela apple ben bella bill bob candy cathy cherry chris coco cindy crystal daisy david ' +
    'eason echo emily emma eric eva frank grace hannah helen ivy jack jackie jacky james jane jason jenny jerry jessica ' +
    'joe john joy judy julia kate kelly ken kevin kitty leo lily linda lisa lucy luna mandy mary max mia michael mike ' +
    'nancy nick nina olivia peter rachel robin rose ruby sam sara sarah simon sophia stella steven sunny susan tina ' +
    'tom tommy tony vicky victor vivian wendy william yoyo zoe').split(' '),
);

// Words WeChat users pick as nicknames that happen to start with a surname character
// (阳光 starts with 阳, 简单 with 简), so the surname test alone would take them for names.
const NICKNAME_WORDS = new Set(
  ('阳光 简单 微笑 晴天 随缘 淡定 向日葵 追梦人 开心 快乐 幸福 天空 大海 彩虹 安静 平凡 平淡 珍惜 等待 无名 路人 ' +
    '过客 风景 回忆 自在 逍遥 浪子 心情 感恩 木子 奋斗 坚持 努力 加油 守候 如意 吉祥 好运 发财 月亮 星星 云朵 花开 ' +
    '晨曦 清风 明月 蓝天 白云 梦想 寂寞 孤独 远方 流年 时光 青春 故事 沉默 陌生人 傻瓜 宝贝 小确幸 平安 健康').split(' '),
);

// Every toneless Mandarin syllable (pinyin-pro's readings of U+4E00–U+9FA5), ü written v;
// the interjections m / ng are left out so they cannot eat letters of Latin names.
const SYLLABLES = new Set(
  ('a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha ' +
    'chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui ' +
    'cun cuo da dai dan dang dao de den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa ' +
    'fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai ' +
    'han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ' +
    'ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le ' +
    'lei leng li lia lian liang liao lie lin ling liu long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi ' +
    'mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou ' +
    'nu nuan nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie ' +
    'qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen ' +
    'seng sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui ' +
    'sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo ' +
    'wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue ' +
    'yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan ' +
    'zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo').split(' '),
);

let surnamePinyin: Set<string> | undefined;
/** Pinyin of the known surnames (as read in a surname: 单 shan, 曾 zeng), to tell Zhang San from Amy. */
function surnameSyllables(): Set<string> {
  if (!surnamePinyin) {
    surnamePinyin = new Set();
    for (const s of [...SINGLE_SURNAMES, ...COMPOUND_SURNAMES]) surnamePinyin.add(foldU(hanPinyin(s).join('')));
  }
  return surnamePinyin;
}

// Emoji, pictographs, dingbats and decorative symbols (☆ ♥ ✨ 🌸) that WeChat nicknames carry.
const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{So}\p{Sk}\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}\u{20E3}]/gu;
const HAN_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/gu;
// Middle dots in transliterated names (阿卜杜·热合曼) and between Latin given and surname.
const NAME_DOTS = /[·•・‧∙⋅]/g;

/**
 * Normalizes a person's name for matching: NFKC, traditional → simplified, no inner spaces
 * or middle dots in Han names, salutations (先生/女士/总, Mr/Ms) out of the key, and a
 * toneless pinyin key shared by 张三, 張三, Zhang San, ZHANG San and zhangsan (San Zhang via
 * pinyinSorted). Nicknames are returned with `weak: true`; junk and empty values give undefined.
 */
export function normalizePersonName(raw: unknown): Readonly<NormalizedPersonName> | undefined {
  const text = asText(raw);
  if (text === undefined) return undefined;
  // Names repeat a lot (张伟, 王芳) and pinyin is the slow part, so results are memoized.
  if (cache.has(text)) return cache.get(text);
  const result = computePersonName(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, result && Object.freeze(result));
  return result;
}

const CACHE_LIMIT = 50_000;
const cache = new Map<string, Readonly<NormalizedPersonName> | undefined>();

function computePersonName(text: string): NormalizedPersonName | undefined {
  let s = toHalfWidth(text).trim();
  // 娜娜 is a doubled-character nickname, not a placeholder like 1111 or ----.
  if (!s || (isJunkIdentity('name', s) && !/^([\u3400-\u9fff])\1$/u.test(s))) return undefined;
  const nickname = isNicknameLike(s);
  // Bracketed notes (张三(销售), 李四【VIP】) describe the person, they are not the name.
  s = s.replace(/[(\[{【〔〖「『<《][^)\]}】〕〗」』>》]*[)\]}】〕〗」』>》]/g, ' ');
  s = s.replace(PICTOGRAPHIC, ' ').replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
  s = s.replace(/\s+/g, ' ').trim();
  if (!s) return undefined;

  if (hasHan(s)) {
    const han = toSimplified(s).replace(/[^\u3400-\u9fff\uf900-\ufaff]/gu, '');
    const latin = s.replace(HAN_CHAR, ' ').replace(/[^\p{L}]+/gu, '');
    if (!han) return undefined;
    const display = latin ? s.replace(/\s+/g, ' ') : s.replace(/\s+/g, '');
    const key = stripHanSalutation(han);
    const syllables = hanPinyin(key).map(foldU);
    return {
      display,
      matchKey: key,
      ...pinyinKeys(syllables),
      script: latin ? 'mixed' : 'han',
      weak: nickname || key.length < 2,
    };
  }

  const latin = s.replace(LATIN_SALUTATION, '').normalize('NFD').replace(/\p{M}/gu, '').replace(NAME_DOTS, ' ');
  const tokens = latin.toLowerCase().replace(/ü/g, 'v').split(/[^a-z]+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const syllables = latinPinyin(tokens);
  return {
    display: s.replace(/\s+/g, ' '),
    matchKey: tokens.join(' '),
    ...pinyinKeys(syllables ?? []),
    script: 'latin',
    weak: nickname,
  };
}

/**
 * Whether a name looks like a WeChat-style nickname rather than a real name: emoji or
 * decorative symbols, digits, 小王 / 老李 / 阿强, doubled characters (娜娜), a surname with a
 * salutation (王先生, 李总), a Han phrase that does not start with a surname (岁月静好), or a
 * lone English given name (Amy, Tony).
 */
export function isNicknameLike(raw: unknown): boolean {
  const text = asText(raw);
  if (text === undefined) return false;
  const s = toHalfWidth(text).trim();
  if (!s) return false;
  if (/[\p{Extended_Pictographic}\p{So}~^*_=+|<>@#$%&!?！？~]/u.test(s)) return true;
  if (/\d/.test(s)) return true;
  if (hasHan(s)) {
    const han = toSimplified(s).replace(/[^\u3400-\u9fff\uf900-\ufaff]/gu, '');
    const latin = s.replace(HAN_CHAR, '').replace(/[^\p{L}]/gu, '');
    if (latin.length > 0 && han.length < 2) return true;
    if (han.length < 2) return true;
    if (/^[小老阿][\u3400-\u9fff]$/u.test(han)) return true;
    if (han.length === 2 && han[0] === han[1]) return true;
    const key = stripHanSalutation(han);
    if (key !== han && key.length < 2) return true;
    // Transliterated minority and foreign names (阿卜杜·热合曼) are long but real.
    if (/[·•・‧∙⋅]/.test(s)) return false;
    if (NICKNAME_WORDS.has(key)) return true;
    // Four characters without a compound surname is a phrase (岁月静好, 平安是福), not a name.
    if (key.length > 4 || (key.length === 4 && surnameLength(key) < 2)) return true;
    return surnameLength(key) === 0;
  }
  const tokens = s.replace(LATIN_SALUTATION, '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    .split(/[^a-z]+/).filter(Boolean);
  if (tokens.length === 0) return true;
  if (tokens.length === 1) {
    // zhangsan / Zhangsan is a pinyin full name; Amy, Tony, Coco are not.
    const syl = ENGLISH_GIVEN_NAMES.has(tokens[0]!) ? undefined : latinPinyin(tokens);
    return !syl || syl.length < 2 || !surnameSyllables().has(syl[0]!);
  }
  return false;
}

/** Length of the leading surname (2 for 欧阳, 1 for 张), 0 when the name does not start with one. */
export function surnameLength(han: string): number {
  if (COMPOUND_SURNAMES.some((c) => han.startsWith(c))) return 2;
  return SINGLE_SURNAMES.has(han[0] ?? '') ? 1 : 0;
}

function stripHanSalutation(han: string): string {
  for (const suffix of SALUTATION_SUFFIXES) {
    // Only after a surname: 王先生 → 王, 欧阳总 → 欧阳; a given name ending in 工 or 董 is left alone.
    if (han.endsWith(suffix) && han.length > suffix.length) {
      const rest = han.slice(0, -suffix.length);
      const surname = surnameLength(rest);
      if (surname > 0 && (rest.length === surname || suffix.length >= 2)) return rest;
    }
  }
  return han;
}

function hanPinyin(han: string): string[] {
  // `surname: 'head'` reads the first character as a surname: 单 shan, 曾 zeng, 仇 qiu.
  return pinyin(han, { toneType: 'none', type: 'array', v: true, surname: 'head' }).filter((p) => /^[a-z]+$/.test(p));
}

/** ü is written u, v or yu in passports and forms: lv, lu and lü all become lu. */
function foldU(syllable: string): string {
  return syllable.replace(/^([ln])v(e?)$/, '$1u$2');
}

/** Splits Latin tokens into pinyin syllables (zhangsan → zhang san), or undefined when a token is not pinyin. */
function latinPinyin(tokens: string[]): string[] | undefined {
  const out: string[] = [];
  for (const token of tokens) {
    const parts = segment(token);
    if (!parts) return undefined;
    out.push(...parts.map(foldU));
  }
  return out;
}

// Fewest syllables wins (xian is 先, not xi + an); six letters is the longest syllable.
function segment(token: string): string[] | undefined {
  const best: (string[] | undefined)[] = new Array(token.length + 1);
  best[0] = [];
  for (let end = 1; end <= token.length; end++) {
    for (let start = Math.max(0, end - 6); start < end; start++) {
      const prev = best[start];
      if (!prev) continue;
      const piece = token.slice(start, end);
      if (!SYLLABLES.has(piece)) continue;
      if (!best[end] || best[end]!.length > prev.length + 1) best[end] = [...prev, piece];
    }
  }
  return best[token.length];
}

function pinyinKeys(syllables: string[]): Pick<NormalizedPersonName, 'pinyin' | 'pinyinInitials' | 'pinyinSorted' | 'pinyinSyllables'> {
  return {
    pinyinSyllables: syllables,
    pinyin: syllables.join(''),
    pinyinInitials: syllables.map((p) => p[0]).join(''),
    pinyinSorted: [...syllables].sort().join(''),
  };
}

let syllableIndex: Map<string, number> | undefined;
// One private-use character per syllable, the same in every thread: SYLLABLES' order.
const SYLLABLE_CODE_BASE = 0xe000;
// Readings outside the table (the interjections m, ng, hm) share a small range of their own.
const OTHER_SYLLABLE_BASE = 0xf000;

/**
 * Pinyin syllables as a string of one character each, so that a character-level comparator
 * (Jaro-Winkler) compares names syllable by syllable, as it compares Han characters: Zhang Wei
 * and Zhang Wen then differ in half their syllables rather than in one letter of eight.
 */
export function encodeSyllables(syllables: readonly string[]): string {
  if (!syllableIndex) syllableIndex = new Map([...SYLLABLES].map((x, i) => [x, i]));
  let out = '';
  for (const x of syllables) {
    const i = syllableIndex.get(x);
    if (i !== undefined) out += String.fromCharCode(SYLLABLE_CODE_BASE + i);
    else {
      let h = 0;
      for (let k = 0; k < x.length; k++) h = (h * 31 + x.charCodeAt(k)) & 0x3ff;
      out += String.fromCharCode(OTHER_SYLLABLE_BASE + h);
    }
  }
  return out;
}
