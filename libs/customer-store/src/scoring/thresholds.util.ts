import { DEFAULT_STAGE_ORDER } from './scoring.defaults.js';
import type { Crossing, Threshold } from './scoring.types.js';

export interface ThresholdState {
  score: number;
  priority: string | null;
  stage: string;
  tags: string[];
}

export interface ThresholdOutcome {
  priority: string | null;
  stage: string;
  tags: string[];
  crossed: Crossing[];
  /** The threshold that moved the stage, if one did. */
  stageBy?: string;
  /** Why each of priority / stage / tags moved, for the explanation. */
  notes: string[];
}

/** Whether a score (for a customer in `stage`) is in a threshold's range. */
export function inRange(t: Threshold, score: number, stage: string): boolean {
  return (t.min === undefined || score >= t.min) && (t.max === undefined || score < t.max) && (!t.stages?.length || t.stages.some((s) => sameStage(s, stage)));
}

/**
 * Maps a new score onto priority, stage and tags, level by level: the first threshold in
 * range that names a priority sets it (none in range: no priority, when any threshold names
 * one); the first in range whose stage is a forward move along the stage order (or that
 * allows backward moves) sets the stage; tags of thresholds in range are added and those of
 * thresholds out of range removed. A threshold is crossed when the new score is in its range
 * and the old one was not (entered), or the reverse (left); stage filters read the stage as
 * it was before.
 */
export function applyThresholds(
  thresholds: Threshold[],
  before: ThresholdState,
  afterScore: number,
  stageOrder: readonly string[] = DEFAULT_STAGE_ORDER,
): ThresholdOutcome {
  const notes: string[] = [];
  const now = thresholds.filter((t) => inRange(t, afterScore, before.stage));

  let priority = before.priority;
  if (thresholds.some((t) => t.priority !== undefined)) {
    const t = now.find((x) => x.priority !== undefined);
    priority = t?.priority ?? null;
    if (priority !== before.priority) notes.push(t ? `priority ${priority} (threshold ${t.id})` : 'priority cleared (no threshold in range)');
  }

  let stage = before.stage;
  let stageBy: string | undefined;
  for (const t of now) {
    if (t.stage === undefined) continue;
    if (sameStage(t.stage, before.stage)) break;
    if (t.allowBackward || isForward(before.stage, t.stage, stageOrder)) {
      stage = t.stage;
      stageBy = t.id;
      notes.push(`stage ${before.stage} → ${stage} (threshold ${t.id})`);
      break;
    }
  }

  const keep = new Set(now.flatMap((t) => t.tags ?? []));
  const drop = new Set(thresholds.filter((t) => !now.includes(t)).flatMap((t) => t.tags ?? []).filter((tag) => !keep.has(tag)));
  const tags = before.tags.filter((tag) => !drop.has(tag));
  for (const tag of keep) if (!tags.includes(tag)) tags.push(tag);
  const added = tags.filter((t) => !before.tags.includes(t));
  const removed = before.tags.filter((t) => !tags.includes(t));
  if (added.length) notes.push(`tags + ${added.join(', ')}`);
  if (removed.length) notes.push(`tags − ${removed.join(', ')}`);

  const crossed: Crossing[] = [];
  for (const t of thresholds) {
    const was = inRange(t, before.score, before.stage);
    const is = inRange(t, afterScore, before.stage);
    if (was === is) continue;
    const direction = is ? 'entered' : 'left';
    const emit = t.emit ?? 'enter';
    if (emit === 'none' || (emit === 'enter' && !is) || (emit === 'leave' && is)) continue;
    const c: Crossing = { threshold: t.id, direction };
    if (t.min !== undefined) c.min = t.min;
    if (t.max !== undefined) c.max = t.max;
    if (t.priority !== undefined) c.priority = t.priority;
    if (t.stage !== undefined) c.stage = t.stage;
    crossed.push(c);
  }
  return stageBy ? { priority, stage, tags, crossed, stageBy, notes } : { priority, stage, tags, crossed, notes };
}

/** A move to a later stage (names compare without case). A stage outside the order moves only where a threshold allows backward moves. */
export function isForward(from: string, to: string, order: readonly string[]): boolean {
  const keys = order.map((s) => s.toLowerCase());
  const a = keys.indexOf(from.toLowerCase());
  const b = keys.indexOf(to.toLowerCase());
  return a >= 0 && b > a;
}

/** Stage names compare without case (MQL is mql), as the reports read them. */
export function sameStage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
