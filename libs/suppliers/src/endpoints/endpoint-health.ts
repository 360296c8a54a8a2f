/** Where a supplier's webhook endpoint stands. Pure: no Nest, no ORM. */
export interface EndpointHealth {
  status: 'ACTIVE' | 'DISABLED';
  /** First failed attempt since the last success; null while healthy. */
  failingSince: Date | null;
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'failed'; status?: number };

export interface HealthChange {
  next: EndpointHealth;
  /** Set when this attempt disables the endpoint: why, for ops. */
  disabledBecause?: string;
}

export const DAY_MS = 86_400_000;

/**
 * The endpoint after one attempt. A 410 Gone disables it at once (the
 * supplier told us the endpoint is gone); otherwise it is disabled once every
 * attempt has failed for `disableAfterMs` (as Svix does after five days), and
 * any success clears the failure streak.
 */
export function afterAttempt(current: EndpointHealth, outcome: AttemptOutcome, at: Date, disableAfterMs: number): HealthChange {
  if (outcome.kind === 'delivered') return { next: { status: current.status, failingSince: null } };
  const failingSince = current.failingSince ?? at;
  if (current.status === 'DISABLED') return { next: { status: 'DISABLED', failingSince } };
  if (outcome.status === 410) return { next: { status: 'DISABLED', failingSince }, disabledBecause: 'the endpoint answered 410 Gone' };
  const failingMs = at.getTime() - failingSince.getTime();
  if (failingMs >= disableAfterMs) {
    const days = Math.round((failingMs / DAY_MS) * 10) / 10;
    return { next: { status: 'DISABLED', failingSince }, disabledBecause: `every attempt failed for ${days} days` };
  }
  return { next: { status: 'ACTIVE', failingSince } };
}
