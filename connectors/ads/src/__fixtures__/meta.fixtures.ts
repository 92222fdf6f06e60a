import { createHmac } from 'node:crypto';

// Payloads in the formats Meta documents (connectors.md §3). Meta publishes no
// secret/body/signature triple, so signatures here are computed over these bytes.

export const appSecret = '5f1a2b3c4d5e6f708192a3b4c5d6e7f8';
export const verifyToken = 'meatyhamhock';
export const accessToken = 'EAAB-test-page-token';

/** Meta's documented verification request (webhooks getting-started). */
export const verificationQuery = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' };

/** Meta's documented leadgen notification, byte for byte (ids are JSON numbers). */
export const leadgenNotification =
  '{"object":"page","entry":[{"id":"<page_id>","time":1438292065,"changes":[{"field":"leadgen","value":{"leadgen_id":123123123123,"page_id":123123123,"form_id":12312312312,"adgroup_id":12312312312,"ad_id":12312312312,"created_time":1440120384}}]}]}';

/**
 * A batch: two leads in one entry, a non-leadgen change, ids beyond 2^53, and the
 * escaped unicode Meta signs (`\u00e9`), so a re-serialised body would not verify.
 */
export const batchNotification =
  '{"object":"page","entry":[{"id":"104729388765432","time":1717000000,"changes":[' +
  '{"field":"leadgen","value":{"leadgen_id":1234567890123456789,"page_id":104729388765432,"form_id":987654321098765,"adgroup_id":23851234567890123,"ad_id":23851234567890124,"created_time":1717000000,"note":"caf\\u00e9"}},' +
  '{"field":"feed","value":{"item":"status"}},' +
  '{"field":"leadgen","value":{"leadgen_id":"1234567890123456790","page_id":"104729388765432","form_id":"987654321098765","created_time":1717000060}}' +
  ']}]}';

export const sign = (body: string | Buffer, secret = appSecret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A lead as GET /{leadgen_id}?fields=… answers it (lead retrieval docs). */
export const leadResponse = (id: string) => ({
  id,
  created_time: '2024-05-29T16:26:40+0000',
  ad_id: '23851234567890124',
  ad_name: 'Spring promo – video',
  adset_id: '23851234567890123',
  adset_name: 'Shanghai 25-45',
  campaign_id: '23851234567890000',
  campaign_name: 'Spring leads',
  form_id: '987654321098765',
  platform: 'ig',
  is_organic: false,
  field_data: [
    { name: 'full_name', values: ['张三'] },
    { name: 'phone_number', values: ['+86 139 1234 5670'] },
    { name: 'email', values: ['zhangsan@example.com'] },
    { name: 'city', values: ['上海'] },
    { name: 'company_name', values: ['杭州云帆科技有限公司'] },
    { name: 'job_title', values: ['采购经理'] },
    { name: 'which_product_are_you_interested_in?', values: ['CRM', 'Analytics'] },
    { name: 'eventType', values: ['forged'] },
  ],
});

/** Graph's answer to an expired token. */
export const expiredTokenError = {
  error: { message: 'Error validating access token: Session has expired on Tuesday, 28-May-24 10:00:00 PDT.', type: 'OAuthException', code: 190, error_subcode: 463, fbtrace_id: 'AbCdEf123' },
};
