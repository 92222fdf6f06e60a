import { createHmac, timingSafeEqual } from 'node:crypto';
import { startLocalServer, type Answer, type LocalServer } from './http-server.fixture.js';

// A local dysmsapi.aliyuncs.com. It checks each request the way Alibaba Cloud documents RPC
// signature v1 (its own implementation, not the node's): the form's parameters minus
// Signature, sorted, RFC 3986-encoded, "POST&%2F&" + encoded query, HMAC-SHA1 with
// secret + "&"; a Timestamp within 15 minutes; a SignatureNonce used once.

export interface SentSms {
  PhoneNumbers: string;
  SignName: string;
  TemplateCode: string;
  TemplateParam?: string;
  OutId?: string;
  BizId: string;
}

export interface AliyunSmsServer extends LocalServer {
  sent: SentSms[];
  /** Answers SendSms: return a Code (and optional HTTP status) to refuse, "drop" to accept silently and close the socket. */
  onSend: (params: Record<string, string>) => { Code: string; Message?: string; status?: number } | 'drop' | 'accept-and-drop' | undefined;
  signStatus: number;
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

export async function startAliyunSmsServer(keys: Record<string, string>, clock: () => Date): Promise<AliyunSmsServer> {
  const nonces = new Set<string>();
  const state = { sent: [] as SentSms[], onSend: (() => undefined) as AliyunSmsServer['onSend'], signStatus: 1 };
  const fail = (status: number, Code: string, Message: string): Answer => ({ status, body: { RequestId: 'REQ-ERR', Code, Message } });

  const server = await startLocalServer({
    'POST /': (req) => {
      const params = { ...(req.body as Record<string, string>) };
      const secret = keys[params.AccessKeyId ?? ''];
      if (secret === undefined) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      const signature = params.Signature ?? '';
      delete params.Signature;
      const query = Object.keys(params).sort().map((k) => `${rfc3986(k)}=${rfc3986(params[k]!)}`).join('&');
      const expected = createHmac('sha1', `${secret}&`).update(`POST&${rfc3986('/')}&${rfc3986(query)}`).digest('base64');
      if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
        return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      }
      if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0' || params.Version !== '2017-05-25' || params.Format !== 'JSON') {
        return fail(400, 'InvalidParameter', 'bad common parameters');
      }
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp ?? '') || Math.abs(Date.parse(params.Timestamp!) - clock().getTime()) > 15 * 60_000) {
        return fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
      }
      if (!params.SignatureNonce || nonces.has(params.SignatureNonce)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
      nonces.add(params.SignatureNonce);

      switch (params.Action) {
        case 'SendSms': {
          const verdict = state.onSend(params);
          if (verdict === 'drop') return 'drop';
          if (verdict && verdict !== 'accept-and-drop') return { status: verdict.status ?? 200, body: { RequestId: 'REQ-1', Code: verdict.Code, Message: verdict.Message ?? verdict.Code } };
          const BizId = `90061974693649844${state.sent.length}^0`;
          state.sent.push({ PhoneNumbers: params.PhoneNumbers!, SignName: params.SignName!, TemplateCode: params.TemplateCode!, TemplateParam: params.TemplateParam, OutId: params.OutId, BizId });
          if (verdict === 'accept-and-drop') return 'drop';
          return { body: { Message: 'OK', RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990', BizId, Code: 'OK' } };
        }
        case 'QuerySendDetails': {
          const dtos = state.sent
            .filter((s) => s.PhoneNumbers === params.PhoneNumber)
            .map((s) => ({ PhoneNum: s.PhoneNumbers, SendStatus: 3, ErrCode: 'DELIVERED', TemplateCode: s.TemplateCode, Content: '【阿里云】…', SendDate: '2026-03-02 16:00:00', ReceiveDate: '2026-03-02 16:00:03', OutId: s.OutId }));
          return { body: { TotalCount: dtos.length, Message: 'OK', RequestId: 'REQ-Q', SmsSendDetailDTOs: { SmsSendDetailDTO: dtos }, Code: 'OK' } };
        }
        case 'GetSmsSign':
          return { body: { RequestId: 'REQ-S', Code: 'OK', Message: 'OK', SignName: params.SignName, SignStatus: state.signStatus, CreateDate: '2024-06-03 10:02:34', AuditInfo: { RejectInfo: state.signStatus === 2 ? '资质信息无法证明签名真实性' : '' } } };
        default:
          return fail(404, 'InvalidAction.NotFound', `Specified api ${params.Action} is not found.`);
      }
    },
  });
  return Object.assign(state, server) as AliyunSmsServer;
}
