import type { AssignmentCondition, AssignmentPolicy, AssignmentRule } from '@tributary/engine';
import { normalizeCity } from '../normalization/city.normalizer.js';
import { toHalfWidth } from '../normalization/text.normalizer.js';

/** What rules read: the item, and the customer as stored. */
export interface RuleSubject {
  item: Record<string, unknown>;
  customer: {
    stage: string;
    score: number;
    priority: string | null;
    tags: string[];
    firstChannel: string | null;
    ownerId: string | null;
    /** Attribute values (provenance stripped). */
    attributes: Record<string, unknown>;
  };
}

export const CONDITION_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte', 'matches'] as const;

const CUSTOMER_COLUMNS: Record<string, (c: RuleSubject['customer']) => unknown> = {
  stage: (c) => c.stage,
  score: (c) => c.score,
  priority: (c) => c.priority,
  tags: (c) => c.tags,
  firstChannel: (c) => c.firstChannel,
  first_channel: (c) => c.firstChannel,
  ownerId: (c) => c.ownerId,
};

const CITY_FIELDS = new Set(['city', '城市', '所在城市']);
const regexes = new Map<string, RegExp>();

/** The team a subject goes to: the first rule whose conditions all hold, else the default team. */
export function pickTeam(policy: Pick<AssignmentPolicy, 'rules' | 'defaultTeam'>, subject: RuleSubject): { team: string; rule: string; ruleDef?: AssignmentRule } | undefined {
  for (const rule of policy.rules) {
    if (rule.when.every((c) => conditionHolds(c, subject))) return { team: rule.team, rule: rule.name, ruleDef: rule };
  }
  return policy.defaultTeam ? { team: policy.defaultTeam, rule: 'default' } : undefined;
}

/**
 * A field's value: `item.<path>` from the item, `customer.<name>` from the customer (stage,
 * score, priority, tags, firstChannel, ownerId, or an attribute), a bare name from the item
 * when it has a value there, else from the customer.
 */
export function fieldValue(field: string, subject: RuleSubject): unknown {
  if (field.startsWith('item.')) return pathValue(subject.item, field.slice(5));
  if (field.startsWith('customer.')) return customerValue(field.slice(9), subject.customer);
  const fromItem = pathValue(subject.item, field);
  return isBlank(fromItem) ? customerValue(field, subject.customer) : fromItem;
}

export function conditionHolds(c: AssignmentCondition, subject: RuleSubject): boolean {
  const raw = fieldValue(c.field, subject);
  const city = CITY_FIELDS.has(c.field.replace(/^(item|customer)\./, ''));
  const norm = (v: unknown) => comparable(v, city);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => !isBlank(v));
  const list = (Array.isArray(c.value) ? c.value : [c.value]).map(norm);
  switch (c.op) {
    case 'exists':
      return values.length > 0;
    case 'not_exists':
      return values.length === 0;
    case 'eq':
    case 'in':
      return values.some((v) => list.includes(norm(v)));
    case 'neq':
    case 'not_in':
      return !values.some((v) => list.includes(norm(v)));
    case 'contains':
      // A list (tags) contains an element; a text contains a substring.
      return Array.isArray(raw) ? values.some((v) => list.includes(norm(v))) : values.some((v) => list.some((x) => x !== '' && norm(v).includes(x)));
    case 'starts_with':
      return values.some((v) => list.some((x) => x !== '' && norm(v).startsWith(x)));
    case 'matches':
      return values.some((v) => (Array.isArray(c.value) ? c.value : [c.value]).some((p) => regexOf(String(p)).test(String(v))));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = Number(c.value);
      return values.some((v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (!Number.isFinite(n) || !Number.isFinite(bound)) return false;
        return c.op === 'gt' ? n > bound : c.op === 'gte' ? n >= bound : c.op === 'lt' ? n < bound : n <= bound;
      });
    }
    default:
      return false;
  }
}

/**
 * Whether an owner covers a customer for an ownerMatch pair: the owner's attribute (a value or
 * a list; `*` covers everything) lists the customer's value. A customer without a value for
 * the field is covered by everyone.
 */
export function ownerCovers(ownerAttribute: unknown, field: string, subject: RuleSubject): boolean {
  const raw = fieldValue(field, subject);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => !isBlank(v));
  if (values.length === 0) return true;
  const listed = (Array.isArray(ownerAttribute) ? ownerAttribute : [ownerAttribute]).filter((v) => !isBlank(v));
  if (listed.some((v) => String(v).trim() === '*')) return true;
  const city = CITY_FIELDS.has(field.replace(/^(item|customer)\./, ''));
  const covered = new Set(listed.map((v) => comparable(v, city)));
  return values.some((v) => covered.has(comparable(v, city)));
}

/** Problems with a policy's rules that JSON Schema cannot see (regexes that do not compile). */
export function ruleProblems(rules: AssignmentRule[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  rules.forEach((rule, r) =>
    rule.when.forEach((c, i) => {
      if (!CONDITION_OPS.includes(c.op)) problems.push({ path: `/rules/${r}/when/${i}/op`, message: `unknown operator ${String(c.op)}` });
      if (c.op === 'matches') {
        for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
          try {
            regexOf(String(v));
          } catch (err) {
            problems.push({ path: `/rules/${r}/when/${i}/value`, message: `not a regular expression: ${err instanceof Error ? err.message : String(err)}` });
          }
        }
      }
      if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && !Number.isFinite(Number(c.value))) {
        problems.push({ path: `/rules/${r}/when/${i}/value`, message: `${c.op} needs a number` });
      }
    }),
  );
  return problems;
}

function customerValue(name: string, customer: RuleSubject['customer']): unknown {
  const column = CUSTOMER_COLUMNS[name];
  if (column) return column(customer);
  return pathValue(customer.attributes, name);
}

/** `a.b.c` into nested objects; a key that itself contains dots is found first. */
function pathValue(obj: Record<string, unknown>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** Case, width and surrounding space do not matter; cities compare by name (上海市 = 上海 = Shanghai). */
function comparable(v: unknown, city: boolean): string {
  if (v === undefined || v === null) return '';
  const text = toHalfWidth(String(v)).trim();
  if (city) {
    const c = normalizeCity(text);
    if (c) return c;
  }
  return text.toLowerCase();
}

function regexOf(source: string): RegExp {
  let re = regexes.get(source);
  if (!re) {
    re = new RegExp(source, 'iu');
    if (regexes.size > 1000) regexes.clear();
    regexes.set(source, re);
  }
  return re;
}
