import { isPlainObject, type Item } from '@tributary/node-sdk';
import { parseVendorTime } from '../shared/china-time.util.js';
import { addAnswers, idText, leadItem, text } from '../shared/lead-item.util.js';
import type { PolledLead } from '../shared/window-poll.util.js';

// formDetail entries whose type or label gives them a place of their own.
const BY_TYPE: Record<string, 'name' | 'phone' | 'email' | 'company' | 'city' | 'title'> = {
  name: 'name', phone: 'phone', mobile: 'phone', tel: 'phone', email: 'email', company: 'company', city: 'city', position: 'title', job: 'title',
};
const BY_LABEL: Record<string, 'name' | 'phone' | 'email' | 'company' | 'city' | 'title'> = {
  姓名: 'name', 名字: 'name', 称呼: 'name', 联系人: 'name', 手机: 'phone', 手机号: 'phone', 手机号码: 'phone', 电话: 'phone', 联系电话: 'phone',
  邮箱: 'email', 电子邮箱: 'email', 公司: 'company', 公司名称: 'company', 单位: 'company', 城市: 'city', 所在城市: 'city', 职位: 'title', 职务: 'title',
};

/** formDetail: `[{name, value, type?}]`, sometimes sent as that array in a JSON string. */
function formEntries(formDetail: unknown): { label: string; type?: string; value: string }[] {
  let list = formDetail;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: { label: string; type?: string; value: string }[] = [];
  for (const e of list) {
    if (!isPlainObject(e)) continue;
    const value = Array.isArray(e.value) ? e.value.map(text).filter(Boolean).join(', ') : text(e.value);
    const label = text(e.name) ?? text(e.label);
    if (value && label) out.push({ label, type: text(e.type)?.toLowerCase(), value });
  }
  return out;
}

/** One entry of getNoticeList `noticeDetailList` as a lead item. */
export function mapBaiduNotice(notice: Record<string, unknown>): PolledLead | undefined {
  const id = idText(notice.clueId);
  if (!id) return undefined;
  const at = parseVendorTime(notice.commitTime);
  const own: Partial<Record<'name' | 'phone' | 'email' | 'company' | 'city' | 'title', string>> = {};
  const answers: Record<string, string> = {};
  for (const e of formEntries(notice.formDetail)) {
    const field = (e.type && BY_TYPE[e.type]) || BY_LABEL[e.label];
    if (field && own[field] === undefined) own[field] = e.value;
    else answers[e.label] = e.value;
  }
  const item: Item = leadItem({
    eventType: 'lead_ad',
    occurredAt: at?.toISOString(),
    channel: 'baidu',
    utm_source: 'baidu',
    utm_medium: 'cpc',
    lead_id: id,
    name: own.name,
    phone: text(notice.cluePhoneNumber) ?? own.phone,
    email: own.email,
    company: own.company,
    city: own.city,
    title: own.title,
    area: text(notice.area),
    campaign_id: idText(notice.campaignId),
    campaign_name: text(notice.campaignName),
    adgroup_id: idText(notice.adgroupId),
    adgroup_name: text(notice.adgroupName),
    creative_id: idText(notice.creativeId),
    keyword_id: idText(notice.keywordId),
    keyword: text(notice.keyword),
    search_word: text(notice.searchWord),
    site_id: idText(notice.siteId),
    page_id: idText(notice.pageId),
    landing_url: text(notice.url),
    bd_vid: text(notice.bdVid),
    solution_type: text(notice.solutionType),
    solution_name: text(notice.solutionName),
    flow_channel: text(notice.flowChannelName),
    raw: notice,
  });
  addAnswers(item, answers);
  return { id, at, event: { dedupeKey: id, items: [item] } };
}
