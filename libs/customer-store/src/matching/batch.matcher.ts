import { COMPOUND_SURNAMES } from '../normalization/person-name.normalizer.js';
import { blockingKeys } from './blocking-key.util.js';
import { prepareField, type PreparedValue } from './field.comparator.js';
import { conflictFieldVeto, conflictIdentifierVeto, nearlyEqual } from './match.decider.js';
import type { MatchConfig, MatchReason, MatchRecord } from './match.types.js';
import { compileConfig, explainPrepared, fieldSimilarity, scorePrepared, type CompiledConfig, type PreparedRecord } from './pair.scorer.js';

export interface BatchMatcherOptions {
  /** `dedupe` compares every record with every earlier one; `link` only across groups (two files). */
  mode?: 'dedupe' | 'link';
}

/** A record prepared for the batch matcher: fields prepared, identities in priority order, blocking keys hashed. */
export interface BatchRecordInput {
  id: string;
  identities: { type: string; value: string }[];
  values: (PreparedValue | undefined)[];
  blocks: number[];
}

/**
 * The per-record work that needs no matcher state (normalizers, blocking keys), apart so that
 * it can run in a worker thread while the matcher links the previous records.
 */
export function prepareBatchRecord(record: MatchRecord, config: MatchConfig | CompiledConfig): BatchRecordInput {
  const cc = 'fieldIndex' in config ? config : compileConfig(config);
  // Prepared through the same path as scorePair.
  const values = cc.fields.map((f) => prepareField(f.comparator, record.fields[f.field]));
  const identities = record.identities
    .filter((x) => x.value && cc.identifiers.has(x.type))
    .sort((a, b) => cc.identifiers.get(a.type)!.priority - cc.identifiers.get(b.type)!.priority);
  const blocks = blockingKeys(record, { id: record.id, identities: [], values }, cc).map(hashKey);
  return { id: record.id, identities, values, blocks };
}

/** How a record joined its cluster. */
export type BatchReasonKind = 'new' | 'identifier' | 'fuzzy' | 'review';

export interface BatchDecision {
  kind: BatchReasonKind;
  /** The record it was linked to (or, for review, the best candidate it was not merged with). */
  target?: string;
  /** The identifier type for `identifier`, else undefined. */
  identifier?: string;
  score?: number;
  /** Linked in the term-frequency pass: the pair agrees on a rare value. */
  rare?: boolean;
  /** Linked on cluster-level evidence (fuzzy.clusterKeys, fuzzy.rareClusters): its cluster and the target's agree. */
  cluster?: boolean;
}

// Reason codes in a Uint8Array: 0 new, 1 fuzzy, 2 review, 3 + k identifier type k.
const NEW = 0;
const FUZZY = 1;
const REVIEW = 2;
const IDENT = 3;
const RARE = 255;
const CLUSTER = 254;
const MEMBERS_KEPT = 6;
/** Han names a file needs before their parts' shares are estimates (fuzzy.uniqueNames, rareClusters.maxExpected). */
const MIN_NAMES_FOR_RARITY = 500;

type Bucket = number | number[];

/**
 * The keys a value is counted under for rarity: a name also under its pinyin, because
 * "dongjia" is as common as every Han name read dong jia together (董佳, 董嘉, 东家…).
 */
function rarityKeys(v: PreparedValue): string[] {
  if (typeof v === 'string') return [v];
  return v.pinyin ? [v.key, `\u0001${v.pinyin}`] : [v.key];
}

/** 52-bit FNV-style hash of a blocking key: Map<number> is far smaller than Map<string>. */
function hashKey(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) + 0x9e3779b9;
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
}

function push(map: Map<number, Bucket> | Map<string, Bucket>, key: number | string, idx: number, cap: number): void {
  const m = map as Map<number | string, Bucket>;
  const cur = m.get(key);
  if (cur === undefined) m.set(key, idx);
  else if (typeof cur === 'number') m.set(key, [cur, idx]);
  else {
    cur.push(idx);
    // Huge blocks (a very common name) keep their most recent members only.
    if (cur.length > cap * 2) cur.splice(0, cur.length - cap);
  }
}

/**
 * Streaming batch matcher: add records one at a time; each is linked by identifiers (priority
 * order, limits, conflicts) and then by fuzzy score against the earlier records that share a
 * blocking key. Clusters are a union-find; every record keeps the decision that linked it.
 */
export class BatchMatcher {
  readonly cc: CompiledConfig;
  private readonly link: boolean;
  private n = 0;
  private ids: string[] = [];
  private prepared: PreparedRecord['values'][] = [];
  private parent = new Int32Array(1024);
  private size = new Int32Array(1024);
  private group = new Uint8Array(1024);
  private code = new Uint8Array(1024);
  private target = new Int32Array(1024);
  private score = new Float32Array(1024);
  private stamp = new Int32Array(1024);
  private readonly idIndex = new Map<string, Bucket>();
  private readonly blockIndex = new Map<number, Bucket>();
  /** Identity values of limited types (maxPerCustomer), per cluster root. */
  private readonly rootLimited = new Map<number, string[]>();
  private readonly limitedTypes: Map<string, number>;
  private readonly typeCode: Map<string, number>;
  private readonly typeNames: string[];
  private readonly maxCandidates: number;
  /** Per cluster root, up to MEMBERS_KEPT records that carry conflict evidence (a name, a phone). */
  private readonly rootMembers = new Map<number, number[]>();
  /** Per record, its identities of the types some rule uses as conflictIdentifiers. */
  private readonly conflictIds: ({ type: string; value: string }[] | undefined)[] = [];
  private readonly conflictTypes: Set<string>;
  private readonly conflictFieldIdx: number[];
  /** Fuzzy fields with a term-frequency adjustment, and their value counts. */
  private readonly rareFields: number[];
  private readonly valueCounts: Map<string, number>[];
  private readonly blocksOf: number[][] = [];
  private finalized = false;
  /** Nameless records waiting to link through an identifier value (see add). */
  private deferredIdx: number[] = [];
  private deferredKey: string[] = [];
  private readonly scratch: PreparedRecord = { id: '', identities: [], values: [] };
  private readonly scratch2: PreparedRecord = { id: '', identities: [], values: [] };

  constructor(config: MatchConfig, options: BatchMatcherOptions = {}) {
    this.cc = compileConfig(config);
    this.link = options.mode === 'link';
    this.typeNames = this.cc.identifierOrder;
    this.typeCode = new Map(this.typeNames.map((t, i) => [t, i]));
    this.limitedTypes = new Map(config.identifiers.filter((r) => r.maxPerCustomer !== undefined).map((r) => [r.type, r.maxPerCustomer!]));
    this.maxCandidates = config.fuzzy.maxCandidates ?? 100;
    this.conflictTypes = new Set(config.identifiers.flatMap((r) => r.conflictIdentifiers ?? []));
    this.conflictFieldIdx = [...new Set([...this.cc.conflictIndexes.values()].flat())];
    this.rareFields = this.cc.fields.flatMap((f, i) => (f.rare ? [i] : []));
    this.valueCounts = this.rareFields.map(() => new Map());
  }

  /** Both clusters hold values of a conflict identifier type (phones) and share none. */
  private identityConflict(ra: number, rb: number, types: Iterable<string> = this.conflictTypes): boolean {
    if (this.conflictTypes.size === 0) return false;
    const ma = this.rootMembers.get(ra);
    const mb = this.rootMembers.get(rb);
    if (!ma || !mb) return false;
    for (const t of types) {
      let inA = false;
      let shared = false;
      const seen = new Set<string>();
      for (const k of ma) for (const x of this.conflictIds[k] ?? []) if (x.type === t) (seen.add(x.value), (inA = true));
      if (!inA) continue;
      let inB = false;
      for (const k of mb) {
        for (const x of this.conflictIds[k] ?? []) {
          if (x.type !== t) continue;
          inB = true;
          if (seen.has(x.value) || [...seen].some((v) => nearlyEqual(v, x.value))) shared = true;
        }
      }
      if (inB && !shared) return true;
    }
    return false;
  }

  /** Whether some member of the cluster agrees with r on one of the identifier's conflict fields. */
  private clusterAgrees(r: PreparedRecord, root: number, type: string): boolean {
    const idx = this.cc.conflictIndexes.get(type) ?? [];
    if (idx.length === 0) return true;
    for (const k of this.rootMembers.get(root) ?? []) {
      const other = this.view(this.scratch, k);
      for (const i of idx) if (fieldSimilarity(r, other, i, this.cc) >= this.cc.fields[i]!.agree) return true;
    }
    return false;
  }

  /** Whether linking record r to cluster root through identifier `type` contradicts a member's name or ids. */
  private clusterVeto(r: PreparedRecord, ids: { type: string; value: string }[], root: number, type: string): boolean {
    const members = this.rootMembers.get(root);
    if (!members) return false;
    for (const k of members) {
      const other = this.view(this.scratch, k);
      if (conflictFieldVeto(r, other, type, this.cc)) return true;
      const kIds = this.conflictIds[k];
      if (kIds && conflictIdentifierVeto(ids, kIds, type, this.cc)) return true;
    }
    return false;
  }

  get count(): number {
    return this.n;
  }

  /** The record id of record i (in the order added). */
  idOf(i: number): string {
    return this.ids[i]!;
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.parent = g(this.parent);
    this.size = g(this.size);
    this.group = g(this.group);
    this.code = g(this.code);
    this.target = g(this.target);
    this.score = g(this.score);
    this.stamp = g(this.stamp);
  }

  find(i: number): number {
    const p = this.parent;
    let r = i;
    while (p[r] !== r) r = p[r]!;
    while (p[i] !== r) {
      const next = p[i]!;
      p[i] = r;
      i = next;
    }
    return r;
  }

  /** Whether merging the clusters of a and b would exceed a maxPerCustomer limit. */
  /** Two clusters that cannot be one person: an identifier beyond its per-customer limit, or conflicting identities. */
  private apart(ra: number, rb: number): boolean {
    return this.limitConflict(ra, rb) || this.identityConflict(ra, rb);
  }

  private limitConflict(ra: number, rb: number): boolean {
    const a = this.rootLimited.get(ra);
    const b = this.rootLimited.get(rb);
    if (!a || !b) return false;
    for (const [type, max] of this.limitedTypes) {
      const values = new Set<string>();
      let inA = false;
      let inB = false;
      for (const k of a) if (k.startsWith(type + '\u0001')) (values.add(k), (inA = true));
      for (const k of b) if (k.startsWith(type + '\u0001')) (values.add(k), (inB = true));
      if (inA && inB && values.size > max) return true;
    }
    return false;
  }

  private union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    const lb = this.rootLimited.get(rb);
    if (lb) {
      const la = this.rootLimited.get(ra);
      if (la) {
        for (const k of lb) if (!la.includes(k)) la.push(k);
      } else this.rootLimited.set(ra, lb);
      this.rootLimited.delete(rb);
    }
    const mb = this.rootMembers.get(rb);
    if (mb) {
      const ma = this.rootMembers.get(ra);
      if (ma) {
        for (const k of mb) if (ma.length < MEMBERS_KEPT) ma.push(k);
      } else this.rootMembers.set(ra, mb);
      this.rootMembers.delete(rb);
    }
  }

  private view(into: PreparedRecord, i: number): PreparedRecord {
    into.values = this.prepared[i]!;
    into.id = this.ids[i]!;
    return into;
  }

  private decide(idx: number, code: number, target: number, score: number): void {
    // The first link explains the record; a review is replaced by any later link.
    if (this.code[idx] === NEW || (this.code[idx] === REVIEW && code !== REVIEW)) {
      this.code[idx] = code;
      this.target[idx] = target;
      this.score[idx] = score;
    }
  }

  /** Adds one record and links it; returns its index. `group` separates the files in link mode. */
  add(record: MatchRecord, group = 0): number {
    return this.addPrepared(prepareBatchRecord(record, this.cc), group);
  }

  /** Adds a record prepared by prepareBatchRecord (possibly in another thread) and links it. */
  addPrepared(input: BatchRecordInput, group = 0): number {
    const cc = this.cc;
    if (this.n === this.parent.length) this.grow();
    const idx = this.n++;
    this.parent[idx] = idx;
    this.size[idx] = 1;
    this.group[idx] = group;
    this.code[idx] = NEW;
    this.target[idx] = -1;
    this.ids.push(input.id);
    const values = input.values;
    const r: PreparedRecord = { id: input.id, identities: [], values };
    this.prepared.push(values);
    const idents = input.identities;
    const condIds = this.conflictTypes.size ? idents.filter((x) => this.conflictTypes.has(x.type)) : [];
    this.conflictIds.push(condIds.length ? condIds : undefined);
    if (condIds.length || this.conflictFieldIdx.some((i) => values[i] !== undefined)) this.rootMembers.set(idx, [idx]);
    const limited: string[] = [];
    for (const x of idents) if (this.limitedTypes.has(x.type)) limited.push(x.type + '\u0001' + x.value);
    if (limited.length) this.rootLimited.set(idx, limited);
    const idKeys: string[] = [];
    // A record kept off an ambiguous value (a family phone) does not become one more holder of it.
    const unregistered = new Set<string>();
    let linked = false;
    for (const x of idents) {
      const key = x.type + '\u0001' + x.value;
      idKeys.push(key);
      const bucket = this.idIndex.get(key);
      if (bucket === undefined) continue;
      const rule = cc.identifiers.get(x.type)!;
      const holders = typeof bucket === 'number' ? [bucket] : bucket;
      const roots = new Set<number>();
      for (const h of holders) if (!this.link || this.group[h] !== group) roots.add(this.find(h));
      if (roots.size === 0) continue;
      if (rule.maxCustomersPerValue !== undefined && roots.size >= rule.maxCustomersPerValue) continue;
      // Without a name, a record cannot tell which of a family's members it belongs to; without a
      // phone, which of the namesakes who typed one mailbox. It waits until every record is in and
      // links only if the value then has a single holder.
      const conflictIdx = cc.conflictIndexes.get(x.type)!;
      const conflictTypes = rule.conflictIdentifiers ?? [];
      const blind =
        (conflictIdx.length > 0 && conflictIdx.every((i) => values[i] === undefined)) ||
        (conflictTypes.length > 0 && !idents.some((y) => conflictTypes.includes(y.type)));
      if (!linked && blind) {
        this.deferredIdx.push(idx);
        this.deferredKey.push(key);
        unregistered.add(key);
        continue;
      }
      for (const h of holders) {
        if (this.link && this.group[h] === group) continue;
        const rh = this.find(h);
        const ri = this.find(idx);
        if (rh === ri) continue;
        // A value already shared by several clusters (a family phone) links only where the name agrees.
        const ambiguous = roots.size > 1 && !this.clusterAgrees(r, rh, x.type);
        if (
          ambiguous ||
          this.limitConflict(ri, rh) ||
          this.clusterVeto(r, condIds, rh, x.type) ||
          // Two clusters joined through this record must not contradict each other either.
          (linked && this.identityConflict(ri, rh, rule.conflictIdentifiers ?? []))
        ) {
          if (ambiguous && !linked) unregistered.add(key);
          this.decide(idx, REVIEW, h, scorePrepared(r, this.view(this.scratch, h), cc));
          continue;
        }
        this.union(idx, h);
        linked = true;
        this.decide(idx, IDENT + this.typeCode.get(x.type)!, h, 0);
      }
    }

    // Fuzzy: earlier records sharing a blocking key, each compared once.
    const bkeys = input.blocks;
    const { autoMergeThreshold, reviewThreshold } = cc.config.fuzzy;
    let compared = 0;
    const stamp = idx + 1;
    // Smallest blocks first: a sharp key (name + company) must not lose its turn to a common name.
    const lists: number[][] = [];
    for (const k of bkeys) {
      const bucket = this.blockIndex.get(k);
      if (bucket !== undefined) lists.push(typeof bucket === 'number' ? [bucket] : bucket);
    }
    if (lists.length > 1) lists.sort((a, b) => a.length - b.length);
    // Candidates at the merge score: linked after the loop, unless they are people who cannot be one.
    const strong: { c: number; s: number }[] = [];
    for (const list of lists) {
      // Newest first: in huge blocks the recent records are the likeliest duplicates.
      for (let j = list.length - 1; j >= 0 && compared < this.maxCandidates; j--) {
        const c = list[j]!;
        if (this.stamp[c] === stamp) continue;
        this.stamp[c] = stamp;
        if (this.link && this.group[c] === group) continue;
        compared++;
        const rc = this.find(c);
        const ri = this.find(idx);
        if (rc === ri) continue;
        const other = this.view(this.scratch2, c);
        const s = scorePrepared(r, other, cc);
        if (s >= autoMergeThreshold && !this.apart(ri, rc)) {
          strong.push({ c, s });
        } else if (s >= reviewThreshold) {
          this.decide(idx, REVIEW, c, s);
        }
      }
    }
    this.linkStrong(idx, strong, FUZZY);

    // Register: an identity value lists one record per cluster that holds it.
    for (const key of idKeys) {
      if (unregistered.has(key) && this.find(idx) === idx) continue;
      const bucket = this.idIndex.get(key);
      if (bucket !== undefined) {
        const ri = this.find(idx);
        const holders = typeof bucket === 'number' ? [bucket] : bucket;
        if (holders.some((h) => this.find(h) === ri)) continue;
      }
      push(this.idIndex, key, idx, 1 << 30);
    }
    for (const k of bkeys) push(this.blockIndex, k, idx, this.maxCandidates * 4);
    this.blocksOf.push(bkeys);
    for (let f = 0; f < this.rareFields.length; f++) {
      const v = values[this.rareFields[f]!];
      if (v === undefined) continue;
      for (const key of rarityKeys(v)) this.valueCounts[f]!.set(key, (this.valueCounts[f]!.get(key) ?? 0) + 1);
    }
    this.finalized = false;
    return idx;
  }

  private countOf(f: number, i: number): number {
    const v = this.prepared[i]![this.rareFields[f]!];
    if (v === undefined) return Infinity;
    let max = 0;
    for (const key of rarityKeys(v)) max = Math.max(max, this.valueCounts[f]!.get(key) ?? 0);
    return max;
  }

  /**
   * The term-frequency pass: value counts are only known once every record is in, so pairs
   * that agree on a rare value (a name held by a handful of records) are scored again with
   * the field's rare bonus; then the cluster-level passes (fuzzy.clusterKeys, fuzzy.rareClusters)
   * join clusters on evidence spread over their members. Runs once, before cluster ids are read.
   */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const cc = this.cc;
    for (let d = 0; d < this.deferredIdx.length; d++) {
      const i = this.deferredIdx[d]!;
      const key = this.deferredKey[d]!;
      const bucket = this.idIndex.get(key)!;
      const holders = typeof bucket === 'number' ? [bucket] : bucket;
      const roots = new Set<number>();
      for (const h of holders) if (!this.link || this.group[h] !== this.group[i]) roots.add(this.find(h));
      const type = key.slice(0, key.indexOf('\u0001'));
      const h = holders.find((x) => !this.link || this.group[x] !== this.group[i]);
      if (h === undefined) continue;
      const ri = this.find(i);
      const rh = this.find(h);
      if (ri === rh) continue;
      if (roots.size > 1 || this.limitConflict(ri, rh) || this.identityConflict(ri, rh, cc.identifiers.get(type)?.conflictIdentifiers ?? [])) {
        if (this.code[i] === NEW) {
          this.code[i] = REVIEW;
          this.target[i] = h;
          this.score[i] = 0;
        }
        continue;
      }
      this.union(i, h);
      if (this.code[i] === NEW || this.code[i] === REVIEW) {
        this.code[i] = IDENT + this.typeCode.get(type)!;
        this.target[i] = h;
      }
    }
    this.deferredIdx = [];
    this.deferredKey = [];
    this.rarePass();
    this.clusterPass();
    this.rareClusterPass();
    this.uniqueNamePass();
  }

  /**
   * How many people this data should hold with a given Han name (a prepared key): the number
   * of named clusters times the shares of its surname, its given-name length and each of its
   * given-name characters among every record's Han name. Counted over records, not people, so
   * a person seen often weighs more, which only makes the estimate more cautious for common
   * parts. Infinity for keys that are not a Han name (Latin names, pinyin keys), and for every
   * key when the file holds fewer than MIN_NAMES_FOR_RARITY Han names.
   */
  private nameRarity(fi: number): (key: string) => number {
    const surnames = new Map<string, number>();
    const chars = new Map<string, number>();
    const lengths = new Map<number, number>();
    const clusters = new Set<number>();
    // Pinyin keys (clusterValueKeys' sorted syllables) to the Han names read that way.
    const readings = new Map<string, Set<string>>();
    let names = 0;
    let givenChars = 0;
    for (let i = 0; i < this.n; i++) {
      const v = this.prepared[i]![fi];
      if (v === undefined || typeof v === 'string') continue;
      const parts = hanNameParts(v.key);
      if (!parts) continue;
      if (v.sorted) {
        const set = readings.get('\u0002' + v.sorted);
        if (set) set.add(v.key);
        else readings.set('\u0002' + v.sorted, new Set([v.key]));
      }
      names++;
      clusters.add(this.find(i));
      surnames.set(parts.surname, (surnames.get(parts.surname) ?? 0) + 1);
      lengths.set(parts.given.length, (lengths.get(parts.given.length) ?? 0) + 1);
      for (const c of parts.given) chars.set(c, (chars.get(c) ?? 0) + 1), givenChars++;
    }
    const people = clusters.size;
    // A handful of names estimates nothing: every part of them looks rare.
    if (names < MIN_NAMES_FOR_RARITY) return () => Infinity;
    const ofHan = (key: string): number => {
      const parts = names ? hanNameParts(key) : undefined;
      if (!parts) return Infinity;
      let expected = (people * (surnames.get(parts.surname) ?? 0)) / names;
      expected *= (lengths.get(parts.given.length) ?? 0) / names;
      for (const c of parts.given) expected *= (chars.get(c) ?? 0) / givenChars;
      return expected;
    };
    return (key) => {
      // A pinyin key stands for every Han name read that way (王雪倩, 汪雪茜): their sum.
      const hans = readings.get(key);
      if (hans) {
        let sum = 0;
        for (const h of hans) sum += ofHan(h);
        return sum;
      }
      return ofHan(key);
    };
  }

  /**
   * Cluster-level name rarity (fuzzy.uniqueNames): a Han name this data is expected to hold
   * fewer than `maxExpected` times, by the shares of its parts, is one person's; the clusters
   * holding it (at most `maxClusters`) merge when nothing they hold disagrees.
   */
  private uniqueNamePass(): void {
    const rule = this.cc.config.fuzzy.uniqueNames;
    if (!rule) return;
    const fi = this.cc.fieldIndex.get(rule.field);
    if (fi === undefined || this.cc.fields[fi]!.comparator !== 'person_name') return;
    const maxClusters = rule.maxClusters ?? 2;
    const compat = (rule.compatible ?? []).map((f) => this.cc.fieldIndex.get(f)).filter((i): i is number => i !== undefined);
    const expectedHolders = this.nameRarity(fi);
    const holders = new Map<string, number[]>();
    const firstOf = new Map<number, number>();
    for (let i = 0; i < this.n; i++) {
      const r = this.find(i);
      if (!firstOf.has(r)) firstOf.set(r, i);
      const v = this.prepared[i]![fi];
      if (v === undefined || typeof v === 'string') continue;
      const list = holders.get(v.key);
      if (!list) holders.set(v.key, [r]);
      else if (list.length <= maxClusters && !list.includes(r)) list.push(r);
    }
    const compatKeys = compat.map((c) => this.rootKeys(c));
    for (const [key, roots] of holders) {
      if (roots.length < 2 || roots.length > maxClusters) continue;
      if (!(expectedHolders(key) <= rule.maxExpected)) continue;
      this.joinGroup(roots, compatKeys, 0, firstOf);
    }
  }

  /**
   * Joins the clusters of one cluster-level group (the clusters holding one name) to its first:
   * each one whose `compatKeys` fields intersect the first's or are missing on a side, with at
   * least `minAgreeing` of them intersecting, and whose limited or conflict identifiers agree.
   * The joined cluster's first record explains the link, unless it already had one.
   */
  private joinGroup(roots: number[], compatKeys: Map<number, Set<string>>[], minAgreeing: number, firstOf: Map<number, number>): void {
    for (let a = 1; a < roots.length; a++) {
      const ra = this.find(roots[0]!);
      const rb = this.find(roots[a]!);
      if (ra === rb || (this.link && this.group[ra] === this.group[rb])) continue;
      let ok = true;
      let agreeing = 0;
      for (const ck of compatKeys) {
        const sa = ck.get(roots[0]!);
        const sb = ck.get(roots[a]!);
        if (!sa || !sb) continue;
        if ([...sa].some((x) => sb.has(x))) agreeing++;
        else ok = false;
      }
      if (!ok || agreeing < minAgreeing || this.apart(ra, rb)) continue;
      // Another cluster of the group it fits as well, which cannot be one person with the first: no telling which.
      if (roots.some((o) => {
        const ro = this.find(o);
        return ro !== ra && ro !== rb && !this.apart(rb, ro) && this.apart(ra, ro);
      })) continue;
      this.union(ra, rb);
      const t = firstOf.get(roots[a]!)!;
      if (this.code[t] === NEW || this.code[t] === REVIEW) {
        this.code[t] = CLUSTER;
        this.target[t] = firstOf.get(roots[0]!)!;
        this.score[t] = 0;
      }
    }
  }

  /** Per root, the keys its members hold for field fi (cluster-level values). */
  private rootKeys(fi: number, firstOf?: Map<number, number>): Map<number, Set<string>> {
    const out = new Map<number, Set<string>>();
    for (let i = 0; i < this.n; i++) {
      const r = this.find(i);
      if (firstOf && !firstOf.has(r)) firstOf.set(r, i);
      const v = this.prepared[i]![fi];
      if (v === undefined) continue;
      let s = out.get(r);
      if (!s) out.set(r, (s = new Set()));
      for (const k of BatchMatcher.clusterValueKeys(v)) s.add(k);
    }
    return out;
  }

  /**
   * Cluster-level term frequency (fuzzy.rareClusters): a name held by at most `maxClusters`
   * clusters in all is one person's; those clusters merge when nothing they hold disagrees
   * (the fields listed in `compatible` intersect or are missing on one side; no phone conflict).
   */
  private rareClusterPass(): void {
    const rule = this.cc.config.fuzzy.rareClusters;
    if (!rule) return;
    const fi = this.cc.fieldIndex.get(rule.field);
    if (fi === undefined) return;
    const max = rule.maxClusters;
    const compat = (rule.compatible ?? []).map((f) => this.cc.fieldIndex.get(f)).filter((i): i is number => i !== undefined);
    const firstOf = new Map<number, number>();
    const names = this.rootKeys(fi, firstOf);
    const compatKeys = compat.map((c) => this.rootKeys(c));
    const withinName = rule.within;
    const wi = withinName === undefined || withinName === '' ? undefined : this.cc.fieldIndex.get(withinName);
    const withinKeys = wi === undefined ? undefined : this.rootKeys(wi);
    const byName = new Map<string, number[]>();
    const expectedHolders = rule.maxExpected === undefined ? undefined : this.nameRarity(fi);
    for (const [root, keys] of names) {
      const ws = withinKeys ? withinKeys.get(root) : undefined;
      if (withinKeys && !ws) continue;
      for (const k0 of keys) {
        for (const w of ws ?? ['']) {
          const k = ws ? k0 + '\u0003' + w : k0;
          const list = byName.get(k);
          if (list) {
            if (!list.includes(root)) list.push(root);
          } else byName.set(k, [root]);
        }
      }
    }
    for (const [key, roots] of byName) {
      if (roots.length < 2 || roots.length > max) continue;
      // A Han name the data should hold more often than maxExpected says too little; a
      // Latin or pinyin key has no estimate and keeps the plain cluster count.
      if (expectedHolders) {
        const e = expectedHolders(ws0(key));
        if (e !== Infinity && e > rule.maxExpected!) continue;
      }
      this.joinGroup(roots, compatKeys, rule.minAgreeing ?? 0, firstOf);
    }
  }

  /** The exact keys a prepared value is joined under at cluster level (a Latin name by its sorted pinyin). */
  private static clusterValueKeys(v: PreparedValue): string[] {
    if (typeof v === 'string') return [v];
    if (!v.han) return v.sorted ? ['\u0002' + v.sorted] : [v.key];
    return v.sorted ? [v.key, '\u0002' + v.sorted] : [v.key];
  }

  /**
   * Cluster-level evidence (fuzzy.clusterKeys): the values of every member, per cluster; two
   * clusters sharing a full combination (name from one member, company from another) merge
   * unless their phones or limited identifiers conflict.
   */
  private clusterPass(): void {
    const combos = this.cc.config.fuzzy.clusterKeys;
    if (!combos || combos.length === 0) return;
    const cc = this.cc;
    for (const combo of combos) {
      const idx = combo.map((f) => cc.fieldIndex.get(f)).filter((i): i is number => i !== undefined);
      if (idx.length !== combo.length || idx.length === 0) continue;
      // Per root, per field: the set of keys its members hold.
      const perRoot = new Map<number, Set<string>[]>();
      // The first record of each cluster, which explains its cluster's link.
      const firstOf = new Map<number, number>();
      for (let i = 0; i < this.n; i++) {
        const vals = this.prepared[i]!;
        let any = false;
        for (const fi of idx) if (vals[fi] !== undefined) any = true;
        if (!any) continue;
        const r = this.find(i);
        let sets = perRoot.get(r);
        if (!sets) (perRoot.set(r, (sets = idx.map(() => new Set<string>()))), firstOf.set(r, i));
        idx.forEach((fi, k) => {
          const v = vals[fi];
          if (v === undefined) return;
          for (const key of BatchMatcher.clusterValueKeys(v)) sets![k]!.add(key);
        });
      }
      // The clusters holding each combination, in the order met; each group joins its first.
      const groups = new Map<string, number[]>();
      for (const [root, sets] of perRoot) {
        if (sets.some((s) => s.size === 0)) continue;
        // Every combination of the root's keys (small sets: a cluster holds few names and companies).
        let keys: string[] = [''];
        for (const s of sets) {
          const next: string[] = [];
          for (const prefix of keys) for (const v of s) next.push(prefix + '\u0003' + v);
          keys = next;
          if (keys.length > 64) break;
        }
        if (keys.length > 64) continue;
        for (const key of keys) {
          const list = groups.get(key);
          if (list) list.push(root);
          else groups.set(key, [root]);
        }
      }
      for (const roots of groups.values()) if (roots.length > 1) this.joinGroup(roots, [], 0, firstOf);
    }
  }

  private rarePass(): void {
    const cc = this.cc;
    if (this.rareFields.length === 0) return;
    const { autoMergeThreshold } = cc.config.fuzzy;
    for (let i = 0; i < this.n; i++) {
      const strong: { c: number; s: number }[] = [];
      for (let f = 0; f < this.rareFields.length; f++) {
        const fi = this.rareFields[f]!;
        const field = cc.fields[fi]!;
        if (this.countOf(f, i) > field.rare!.maxRecords) continue;
        const r = this.view(this.scratch, i);
        const stamp = -(i + 1);
        for (const k of this.blocksOf[i]!) {
          const bucket = this.blockIndex.get(k);
          if (bucket === undefined) continue;
          const list = typeof bucket === 'number' ? [bucket] : bucket;
          for (const c of list) {
            if (c >= i || this.stamp[c] === stamp) continue;
            this.stamp[c] = stamp;
            if (this.link && this.group[c] === this.group[i]) continue;
            const ri = this.find(i);
            const rc = this.find(c);
            if (ri === rc || this.countOf(f, c) > field.rare!.maxRecords) continue;
            const other = this.view(this.scratch2, c);
            if (fieldSimilarity(r, other, fi, cc) < field.agree) continue;
            const s = scorePrepared(r, other, cc) + field.rare!.bonus;
            if (s >= autoMergeThreshold && !this.apart(ri, rc)) strong.push({ c, s });
          }
        }
      }
      this.linkStrong(i, strong, RARE);
    }
  }

  /**
   * Links record idx to the clusters of its candidates at the merge score. When two of those
   * clusters cannot be one person (their identifiers conflict: two 张伟 at one company, each
   * with their own phone), the record fits both and says nothing to choose between them: it is
   * a review, linked to neither.
   */
  private linkStrong(idx: number, strong: { c: number; s: number }[], code: number): void {
    if (strong.length === 0) return;
    strong.sort((a, b) => b.s - a.s);
    const roots = [...new Set(strong.map((x) => this.find(x.c)))];
    for (let a = 0; a < roots.length; a++) {
      for (let b = a + 1; b < roots.length; b++) {
        if (this.apart(roots[a]!, roots[b]!)) {
          this.decide(idx, REVIEW, strong[0]!.c, strong[0]!.s);
          return;
        }
      }
    }
    for (const { c, s } of strong) {
      const ri = this.find(idx);
      const rc = this.find(c);
      if (ri === rc || this.apart(ri, rc)) continue;
      this.union(idx, c);
      this.decide(idx, code, c, s);
    }
  }

  /** The cluster id of record i: the id of the cluster's first record. Call after all adds. */
  clusterIds(): string[] {
    this.finalize();
    const first = new Int32Array(this.n).fill(-1);
    const out: string[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const r = this.find(i);
      if (first[r] === -1) first[r] = i;
      out[i] = this.ids[first[r]!]!;
    }
    return out;
  }

  /** Cluster index (root) of every record, for evaluation. */
  clusterRoots(): Int32Array {
    this.finalize();
    const out = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.find(i);
    return out;
  }

  decision(i: number): BatchDecision {
    const code = this.code[i]!;
    const target = this.target[i]! >= 0 ? this.ids[this.target[i]!] : undefined;
    if (code === NEW) return { kind: 'new' };
    if (code === CLUSTER) return { kind: 'fuzzy', target, score: 0, cluster: true };
    if (code === RARE) return { kind: 'fuzzy', target, score: Math.round(this.score[i]! * 1000) / 1000, rare: true };
    if (code === FUZZY) return { kind: 'fuzzy', target, score: Math.round(this.score[i]! * 1000) / 1000 };
    if (code === REVIEW) return { kind: 'review', target, score: Math.round(this.score[i]! * 1000) / 1000 };
    return { kind: 'identifier', target, identifier: this.typeNames[code - IDENT] };
  }

  /** One-line reason for record i: `identifier:phone rec-7`, `fuzzy 9.5 rec-3`, `new`, `new (review 6 rec-9)`. */
  reason(i: number): string {
    const d = this.decision(i);
    switch (d.kind) {
      case 'new':
        return 'new';
      case 'identifier':
        return `identifier:${d.identifier} ${d.target}`;
      case 'fuzzy':
        if (d.cluster) return `fuzzy cluster ${d.target}`;
        return d.rare ? `fuzzy ${d.score} ${d.target} rare` : `fuzzy ${d.score} ${d.target}`;
      case 'review':
        return `new (review ${d.score} ${d.target})`;
    }
  }

  /** The full reasons of record i's link: the field-by-field explanation against its target. */
  explain(i: number): MatchReason[] {
    const t = this.target[i]!;
    const d = this.decision(i);
    const head: MatchReason = { rule: d.kind === 'identifier' ? `identifier:${d.identifier}` : d.kind, detail: this.reason(i) };
    if (t < 0) return [head];
    const a: PreparedRecord = { id: this.ids[i]!, identities: [], values: this.prepared[i]! };
    const b: PreparedRecord = { id: this.ids[t]!, identities: [], values: this.prepared[t]! };
    return [head, ...explainPrepared(a, b, this.cc).reasons];
  }
}

/** The name part of a rareClusters grouping key (name, or name + \u0003 + the `within` value). */
function ws0(key: string): string {
  const i = key.indexOf('\u0003');
  return i < 0 ? key : key.slice(0, i);
}

/**
 * A simplified Han name split into surname and given name (compound surnames kept whole), or
 * undefined for anything else: Latin names, one character, more than four.
 */
function hanNameParts(key: string): { surname: string; given: string } | undefined {
  if (key.length < 2 || key.length > 4 || !/^[\u3400-\u9fff]+$/u.test(key)) return undefined;
  const compound = key.length >= 3 && COMPOUND_SURNAMES.some((c) => key.startsWith(c));
  const n = compound ? 2 : 1;
  return { surname: key.slice(0, n), given: key.slice(n) };
}
