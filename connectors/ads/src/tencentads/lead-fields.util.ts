import { isPlainObject, type Item } from '@tributary/node-sdk';
import { parseVendorTime } from '../shared/china-time.util.js';
import { addAnswers, idText, leadItem, text } from '../shared/lead-item.util.js';
import type { PolledLead } from '../shared/window-poll.util.js';

/** One entry of lead_clues/get `leads_info` (LeadCluesGetListStruct) as a lead item. */
export function mapTencentLead(lead: Record<string, unknown>): PolledLead | undefined {
  const id = idText(lead.leads_id);
  if (!id) return undefined;
  const at = parseVendorTime(lead.leads_create_time) ?? parseVendorTime(lead.leads_action_time);
  const item: Item = leadItem({
    eventType: 'lead_ad',
    occurredAt: at?.toISOString(),
    channel: 'tencent_ads',
    utm_source: 'tencent',
    utm_medium: 'paid_social',
    lead_id: id,
    name: text(lead.leads_name),
    phone: text(lead.leads_telephone) ?? text(lead.leads_tel),
    email: text(lead.leads_email),
    area: text(lead.leads_area),
    phone_location: text(lead.telephone_location),
    address: text(lead.address),
    wechat: text(lead.leads_wechat),
    qq: text(lead.leads_qq),
    gender: text(lead.leads_gender),
    advertiser_id: idText(lead.account_id),
    campaign_id: idText(lead.campaign_id),
    campaign_name: text(lead.campaign_name),
    adgroup_id: idText(lead.adgroup_id),
    adgroup_name: text(lead.adgroup_name),
    creative_id: idText(lead.creative_id),
    creative_name: text(lead.creative_name),
    form_id: idText(lead.component_id),
    form_name: text(lead.component_name),
    page_id: idText(lead.page_id),
    landing_url: text(lead.page_url),
    click_id: text(lead.click_id),
    leads_type: text(lead.leads_type),
    leads_source: text(lead.leads_source),
    raw: lead,
  });
  // bundle: extra answers of the form, as a JSON object in a string.
  if (typeof lead.bundle === 'string' && lead.bundle.trim().startsWith('{')) {
    try {
      const extra = JSON.parse(lead.bundle) as unknown;
      if (isPlainObject(extra)) addAnswers(item, Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, text(v)])));
    } catch {
      // kept in raw as it came
    }
  }
  return { id, at, event: { dedupeKey: id, items: [item] } };
}
