// Youzan (有赞云) trade pushes in the REPORTED format (research/connectors.md §7 and public
// integrations): a JSON body with client_id, kdt_id, kdt_name, type, status, id (the tid),
// msg (URL-encoded JSON of the trade, full_order_info), version, sendCount, test, mode and,
// in older pushes, sign; the Event-Sign header. No vendor vector exists; these are built here.
import { createHash } from 'node:crypto';

export const youzanApp = { clientId: '6cd25b3f99727975b5', clientSecret: 'f4b1a2c3d4e5f60718293a4b5c6d7e8f' };

const md5 = (s: Buffer | string) => createHash('md5').update(s).digest('hex');

/** java.net.URLEncoder.encode(s, "UTF-8"): what Youzan's Java servers send. */
export const javaUrlEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Written as text: oid and buyer_id exceed 2^53.
export const tradeMsg = (status: string, payTime = '') =>
  `{"full_order_info":{"order_info":{"tid":"E20260302175800012345678","status":"${status}","status_str":"${status === 'WAIT_BUYER_PAY' ? '待支付' : '待发货'}","type":0,"created":"2026-03-02 17:58:00","update_time":"2026-03-02 17:58:30","pay_time":"${payTime}","pay_type":"${payTime ? 'WEIXIN_DAIXIAO' : ''}","is_retail_order":false,"order_tags":{"is_payed":${payTime ? 'true' : 'false'}}},"buyer_info":{"buyer_id":12345678901234567890,"buyer_phone":"13912345670","fans_type":1,"fans_id":5678901234,"fans_nickname":"小明 Ming","yz_open_id":"oUz7T1234abcdEFGH"},"address_info":{"receiver_name":"王小明","receiver_tel":"13912345670","delivery_province":"上海市","delivery_city":"上海市","delivery_district":"浦东新区","delivery_address":"世纪大道100号 (A座)","delivery_postal_code":"200120"},"pay_info":{"payment":"199.00","total_fee":"209.00","post_fee":"10.00"},"orders":[{"oid":"1234567890123456789","item_id":987654321,"sku_id":123123,"outer_sku_id":"TEA-250","title":"有机绿茶 250g","num":1,"price":"199.00","payment":"199.00"}]}}`;

export function tradePush(type: string, status: string, opts: { payTime?: string; version?: number; sendCount?: number; clientId?: string } = {}): { body: string; eventSign: string } {
  const clientId = opts.clientId ?? youzanApp.clientId;
  const msg = javaUrlEncode(tradeMsg(status, opts.payTime));
  const body = JSON.stringify({
    client_id: clientId,
    id: 'E20260302175800012345678',
    kdt_id: 91245678,
    kdt_name: '示例小店',
    mode: 1,
    msg,
    sendCount: opts.sendCount ?? 0,
    sign: md5(`${clientId}${msg}${youzanApp.clientSecret}`),
    status,
    test: false,
    type,
    version: opts.version ?? 1772445510,
  });
  return { body, eventSign: md5(Buffer.concat([Buffer.from(clientId), Buffer.from(body), Buffer.from(youzanApp.clientSecret)])) };
}
