import { afterAttempt, DAY_MS, EndpointHealth } from './endpoint-health';

const t0 = new Date('2025-06-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const healthy: EndpointHealth = { status: 'ACTIVE', failingSince: null };
const FIVE_DAYS = 5 * DAY_MS;

describe('endpoint health', () => {
  it('starts a failure streak at the first failure and keeps it while failures continue', () => {
    const a = afterAttempt(healthy, { kind: 'failed', status: 500 }, t0, FIVE_DAYS);
    expect(a).toEqual({ next: { status: 'ACTIVE', failingSince: t0 } });
    const b = afterAttempt(a.next, { kind: 'failed' }, at(4 * DAY_MS), FIVE_DAYS);
    expect(b).toEqual({ next: { status: 'ACTIVE', failingSince: t0 } });
  });

  it('any success ends the streak', () => {
    const failing: EndpointHealth = { status: 'ACTIVE', failingSince: t0 };
    expect(afterAttempt(failing, { kind: 'delivered' }, at(4.9 * DAY_MS), FIVE_DAYS)).toEqual({ next: { status: 'ACTIVE', failingSince: null } });
  });

  it('disables after N days of nothing but failures, saying why', () => {
    const failing: EndpointHealth = { status: 'ACTIVE', failingSince: t0 };
    expect(afterAttempt(failing, { kind: 'failed', status: 503 }, at(FIVE_DAYS - 1), FIVE_DAYS).disabledBecause).toBeUndefined();
    const c = afterAttempt(failing, { kind: 'failed', status: 503 }, at(FIVE_DAYS), FIVE_DAYS);
    expect(c.next.status).toBe('DISABLED');
    expect(c.disabledBecause).toBe('every attempt failed for 5 days');
  });

  it('410 Gone disables at once', () => {
    const c = afterAttempt(healthy, { kind: 'failed', status: 410 }, t0, FIVE_DAYS);
    expect(c).toEqual({ next: { status: 'DISABLED', failingSince: t0 }, disabledBecause: 'the endpoint answered 410 Gone' });
  });

  it('a disabled endpoint is not disabled again', () => {
    const c = afterAttempt({ status: 'DISABLED', failingSince: t0 }, { kind: 'failed', status: 410 }, at(DAY_MS), FIVE_DAYS);
    expect(c.disabledBecause).toBeUndefined();
    expect(c.next.status).toBe('DISABLED');
  });
});
