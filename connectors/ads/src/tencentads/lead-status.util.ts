import { Int64 } from '../shared/exact-json.util.js';
import { tencentRequest, type TencentDeps, type TencentOptions } from './marketing-api.util.js';

/** The lead states lead_clues/update accepts (LeadCluesLeadsConvertType in the official SDKs). */
export const TENCENT_CONVERT_TYPES = [
  'LEADS_CONVERT_STATUS_DEPRECATED',
  'LEADS_CONVERT_STATUS_POTENTIAL_CUSTOMER',
  'LEADS_CONVERT_STATUS_HIGH_INTENTION_CUSTOMER',
  'LEADS_CONVERT_STATUS_TRANS_COMPLETED',
] as const;

/** Reports one lead's state back (回传线索状态): `POST lead_clues/update`. */
export async function sendLeadStatus(
  deps: TencentDeps,
  secrets: Record<string, string> | undefined,
  opts: TencentOptions,
  accountId: string,
  leadsId: string,
  convertType: string,
): Promise<Record<string, unknown>> {
  return tencentRequest(deps, secrets, opts, '/lead_clues/update', {
    account_id: new Int64(accountId),
    leads: [{ leads_id: new Int64(leadsId), leads_convert_type: convertType }],
  });
}
