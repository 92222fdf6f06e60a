import type { AssignmentCandidate, AssignmentPolicy, AssignmentStrategy } from '@tributary/engine';
import { isWorkingAt, type WorkingHours } from '../owners/working-hours.util.js';

/** A team member as an assignment sees them, in team order. */
export interface MemberState {
  ownerId: string;
  active: boolean;
  awayUntil: Date | null;
  capacity: number | null;
  workingHours: WorkingHours | null;
  /** Open customers now; null when nothing needed it counted (round-robin, no capacity). */
  load: number | null;
  /** False when the policy's ownerMatch rules this owner out for this customer. */
  matches: boolean;
}

export interface OwnerChoice {
  ownerId?: string;
  /** Add to the team's round-robin pointer: the next search starts just after the chosen member. */
  advance: number;
  /** Every member, in team order, with why they were skipped. */
  candidates: AssignmentCandidate[];
  /** Nobody eligible was at work, so someone off hours was chosen (`prefer`). */
  offHours: boolean;
}

/**
 * Picks an owner among a team's members. The search starts at `pointer mod n` and goes round
 * the team once: round-robin takes the first eligible member, least-loaded the eligible member
 * with the fewest open customers (ties: the first met). Eligible: active, not away, matching,
 * under capacity, and at work now (`only`; `prefer` falls back to those off hours).
 */
export function chooseOwner(
  members: MemberState[],
  pointer: number,
  strategy: AssignmentStrategy,
  mode: AssignmentPolicy['workingHours'],
  now: Date,
): OwnerChoice {
  const n = members.length;
  const candidates: AssignmentCandidate[] = members.map((m) => {
    const atWork = m.workingHours ? isWorkingAt(m.workingHours, now) : true;
    const c: AssignmentCandidate = { ownerId: m.ownerId, load: m.load, capacity: m.capacity, atWork };
    if (!m.active) c.skipped = 'inactive';
    else if (m.awayUntil && m.awayUntil.getTime() > now.getTime()) c.skipped = 'away';
    else if (!m.matches) c.skipped = 'no_match';
    else if (m.capacity !== null && (m.load ?? 0) >= m.capacity) c.skipped = 'at_capacity';
    return c;
  });
  if (n === 0) return { advance: 0, candidates, offHours: false };
  const start = ((pointer % n) + n) % n;
  const order = Array.from({ length: n }, (_, j) => (start + j) % n);
  const eligible = order.filter((i) => !candidates[i]!.skipped);
  const atWork = eligible.filter((i) => candidates[i]!.atWork);
  let pool = eligible;
  let offHours = false;
  if (mode !== 'ignore') {
    if (atWork.length > 0 || mode === 'only') {
      for (const i of eligible) if (!candidates[i]!.atWork) candidates[i]!.skipped = 'off_hours';
      pool = atWork;
    } else offHours = eligible.length > 0;
  }
  if (pool.length === 0) return { advance: 0, candidates, offHours: false };
  let chosen = pool[0]!;
  if (strategy === 'least_loaded') {
    for (const i of pool) if ((members[i]!.load ?? 0) < (members[chosen]!.load ?? 0)) chosen = i;
  }
  candidates[chosen]!.chosen = true;
  return { ownerId: members[chosen]!.ownerId, advance: order.indexOf(chosen) + 1, candidates, offHours };
}
