import { isPlainObject, type Item } from '@tributary/node-sdk';
import { parseVendorTime } from '../shared/china-time.util.js';
import { addAnswers, idText, leadItem, text } from '../shared/lead-item.util.js';
import type { PolledLead } from '../shared/window-poll.util.js';

/**
 * A Feiyu clue (线索) as a lead item. Field names follow the pull API's answers
 * (`telphone` is Feiyu's spelling); push templates that reuse them map the same way.
 */
export function mapClue(clue: Record<string, unknown>): PolledLead | undefined {
  const id = idText(clue.clue_id);
  if (!id) return undefined;
  const at = parseVendorTime(clue.create_time);
  const [province, cityOfLocation] = typeof clue.location === 'string' ? clue.location.split('+') : [];
  const item: Item = leadItem({
    eventType: 'lead_ad',
    occurredAt: at?.toISOString(),
    channel: 'oceanengine',
    utm_source: 'oceanengine',
    utm_medium: 'paid_social',
    lead_id: id,
    name: text(clue.name),
    phone: text(clue.telphone) ?? text(clue.telephone) ?? text(clue.phone),
    email: text(clue.email),
    city: text(clue.city_name) ?? text(cityOfLocation),
    province: text(clue.province_name) ?? text(province),
    address: text(clue.address),
    wechat: text(clue.weixin),
    qq: text(clue.qq),
    remark: text(clue.remark),
    advertiser_id: idText(clue.adv_id),
    ad_id: idText(clue.ad_plan_id) ?? idText(clue.ad_id),
    ad_name: text(clue.ad_plan_name) ?? text(clue.ad_name),
    campaign_id: idText(clue.campaign_id),
    creative_id: idText(clue.cid) ?? idText(clue.creative_id),
    form_id: idText(clue.module_id),
    form_name: text(clue.module_name),
    site_id: idText(clue.site_id),
    app: text(clue.appname),
    landing_url: text(clue.external_url),
    clue_source: idText(clue.clue_source),
    convert_status: text(clue.convert_status),
    raw: clue,
  });
  // remark_dict holds the answers to the form's own questions.
  if (isPlainObject(clue.remark_dict)) {
    const answers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(clue.remark_dict)) answers[k] = text(v);
    addAnswers(item, answers);
  }
  return { id, at, event: { dedupeKey: id, items: [item] } };
}
