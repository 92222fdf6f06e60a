import type { WorkingHours } from './working-hours.util.js';

export type { WorkingHours } from './working-hours.util.js';

/** A salesperson or agent customers are assigned to. */
export interface Owner {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  wecomUserId: string | null;
  /** Inactive owners get no new customers and no tasks. */
  active: boolean;
  /** Away (holiday, leave) until this time: skipped by assignment. */
  awayUntil: string | null;
  /** Most open customers at once (customers whose stage is not closed); null: no limit. */
  capacity: number | null;
  workingHours: WorkingHours | null;
  /** Free-form: regions, industries, productLines, … (customer.assign's ownerMatch reads them). */
  attributes: Record<string, unknown>;
  /** Teams the owner belongs to, by id. */
  teams: string[];
  load: { openCustomers: number; openTasks: number };
  createdAt: string;
  updatedAt: string;
}

export interface OwnerInput {
  id?: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  wecomUserId?: string | null;
  active?: boolean;
  awayUntil?: string | null;
  capacity?: number | null;
  workingHours?: WorkingHours | null;
  attributes?: Record<string, unknown>;
}

export type OwnerPatch = Partial<Omit<OwnerInput, 'id'>>;

export interface OwnerQuery {
  /** Matches name, email or id (case-insensitive substring). */
  q?: string;
  active?: boolean;
  teamId?: string;
  /** 1–200, default 50. */
  limit?: number;
  cursor?: string;
}

export interface OwnerPage {
  items: Owner[];
  nextCursor: string | null;
}

export interface TeamMember {
  ownerId: string;
  name: string;
  active: boolean;
  /** 0-based order: round-robin goes through members in this order. */
  position: number;
}

export interface Team {
  id: string;
  name: string;
  leadOwnerId: string | null;
  members: TeamMember[];
  /** Round-robin pointer: the position the next assignment starts looking from (mod members). */
  rrPosition: number;
  createdAt: string;
  updatedAt: string;
}

export interface TeamInput {
  id?: string;
  name: string;
  /** Owner ids in round-robin order. */
  members?: string[];
  leadOwnerId?: string | null;
}

export type TeamPatch = Partial<Omit<TeamInput, 'id'>>;

export interface TeamQuery {
  limit?: number;
  cursor?: string;
}

export interface TeamPage {
  items: Team[];
  nextCursor: string | null;
}
