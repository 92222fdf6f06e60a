/**
 * Column headers that name a customer field, as Chinese and English tools export them
 * (CRM, WeCom, Youzan, Excel templates). Matching ignores case, spaces, `_`, `-`, `.`, and a
 * trailing `*`, colon or
 * bracketed note (`手机号（必填）`: the markers of import templates).
 */
export const DEFAULT_HEADER_MAP: Record<string, readonly string[]> = {
  phone: ['phone', 'mobile', 'tel', 'telephone', 'cell', 'cellphone', 'mobile phone', 'phone number', 'mobile number', 'contact phone',
    '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', '移动电话'],
  email: ['email', 'e-mail', 'mail', 'email address', '邮箱', '电子邮箱', '邮件', '电子邮件', '邮箱地址'],
  name: ['name', 'full name', 'customer name', 'contact name', 'contact', '姓名', '名字', '客户姓名', '联系人', '联系人姓名'],
  company: ['company', 'company name', 'organization', 'organisation', 'org', '公司', '公司名称', '单位', '单位名称', '企业', '企业名称'],
  city: ['city', '城市', '所在城市'],
  province: ['province', '省份', '省', '所在省份'],
  address: ['address', '地址', '详细地址', '联系地址'],
  title: ['title', 'job title', 'position', '职位', '职务'],
  gender: ['gender', 'sex', '性别'],
  birthday: ['birthday', 'date of birth', 'dob', '生日', '出生日期'],
  note: ['note', 'notes', 'remark', 'remarks', 'comment', '备注'],
  wechat_unionid: ['wechat_unionid', 'unionid', 'union id'],
  wechat_openid: ['wechat_openid', 'openid', 'open id'],
  wecom_external_userid: ['wecom_external_userid', 'external_userid', '外部联系人id'],
  pos_member_id: ['pos_member_id', 'member id', 'member no', 'membership number', '会员号', '会员卡号', '会员编号'],
};

/** A header reduced for matching: `Phone Number`, `phone_number`, `PHONE-NUMBER` and `手机号码*` reduce alike. */
export function squashHeader(header: string): string {
  return header
    .normalize('NFKC') // full-width letters, digits and brackets become their ASCII forms
    .toLowerCase()
    .trim()
    .replace(/\s*\([^()]*\)$/u, '') // 手机号(必填), Phone (mobile)
    .replace(/^\*+|[*:]+$/gu, '')
    .replace(/[\s_\-.]/gu, '');
}

const DEFAULT_BY_SQUASHED = new Map<string, string>();
for (const [field, headers] of Object.entries(DEFAULT_HEADER_MAP)) {
  for (const h of headers) DEFAULT_BY_SQUASHED.set(squashHeader(h), field);
}

export interface HeaderMapOptions {
  /** File header → item field; an empty field drops the column. Exact header first, then squashed. */
  headerMap?: Record<string, string>;
  /** Apply DEFAULT_HEADER_MAP to headers the map does not name. */
  defaultHeaderMap?: boolean;
}

/**
 * The item field of each column (null: dropped). Unknown headers keep their text. A field
 * taken by an earlier column falls back to the column's own header (so two phone columns,
 * `手机` and `电话`, stay two fields that customer nodes both read as phones), then gets `_2`, `_3`.
 * A blank header becomes `column_<n>`.
 */
export function mapHeaders(headers: string[], opts: HeaderMapOptions = {}): (string | null)[] {
  const own = new Map<string, string>();
  const ownSquashed = new Map<string, string>();
  for (const [from, to] of Object.entries(opts.headerMap ?? {})) {
    own.set(from.trim(), to.trim());
    ownSquashed.set(squashHeader(from), to.trim());
  }
  const taken = new Set<string>();
  const claim = (field: string): string => {
    let f = field;
    for (let n = 2; taken.has(f); n++) f = `${field}_${n}`;
    taken.add(f);
    return f;
  };
  return headers.map((raw, i) => {
    const header = raw.trim();
    const squashed = squashHeader(header);
    const mapped = own.get(header) ?? ownSquashed.get(squashed);
    if (mapped === '') return null;
    const wanted = mapped ?? ((opts.defaultHeaderMap ?? true) ? DEFAULT_BY_SQUASHED.get(squashed) : undefined);
    if (wanted && !taken.has(wanted)) return claim(wanted);
    return claim(header || `column_${i + 1}`);
  });
}
