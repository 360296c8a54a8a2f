import { expectedMsFor } from '../../apps/api/src/ops/case-rules';
import { STUCK_SCAN_EVERY_MS } from '../../apps/api/src/ops/stuck-detector';
import { SERVICES, startSystem, System, waitFor } from '../support/system';
import { reportFigures } from './support/figures';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn, Tenant } from './support/world';

const MIN = 60_000;
const FROZEN_EARLY = 10;
const FROZEN_LATE = 5;
const HEALTHY_DONE = 20;
const HEALTHY_WAITING = 10;

/**
 * Fault 8: cases frozen by a fault (their store refuses every refund, so they
 * sit in REFUNDING) among healthy ones (completed, or waiting for a supplier
 * well within its SLA). The ops stuck detector must flag each frozen case once
 * it has been in its step longer than the definition's expected time (DAMAGED
 * REFUNDING: 15 min), at its next periodic scan (every minute), not before,
 * and never a healthy case. Time is moved with the ManualClock; the
 * detector's periodic job runs on it.
 */
describe('fault: stuck detector', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ config: Object.fromEntries(SERVICES.map((s) => [s, { KAFKA_FETCH_MAX_WAIT_MS: 20 }])) });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const ops = (t: Tenant) => ({ headers: { authorization: `Bearer ${t.opsApiKey}`, 'x-ops-actor': 'fault-test' } });
  async function stuckIds(t: Tenant): Promise<string[]> {
    const ids: string[] = [];
    for (let cursor: string | undefined; ;) {
      const res = await sys.http.get(`/ops/cases?stuck=true&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, ops(t));
      expect(res.status).toBe(200);
      ids.push(...res.data.items.map((i: { returnId: string }) => i.returnId));
      if (!res.data.nextCursor) return ids.sort();
      cursor = res.data.nextCursor;
    }
  }
  const alerted = async (t: Tenant) => ((await sys.http.get('/ops/alerts', ops(t))).data.items as { returnId: string }[]).map((a) => a.returnId).sort();
  /** Moves every service's clock, then lets the due work run (refund retries, the periodic stuck scan). */
  const advance = async (ms: number) => {
    sys.clock.advance(ms);
    await sys.runDueTasks();
  };

  it('flags every frozen case once past its expected time, not before, and no healthy case', async () => {
    const threshold = expectedMsFor('DAMAGED', 'REFUNDING');
    expect(threshold).toBe(15 * MIN);
    const now = () => sys.clock.now();
    const body = (orderId: string) => ({ orderId, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/s.jpg'] });

    // Frozen: this tenant's store refuses connections; IMMEDIATE refunds put its cases in REFUNDING at once.
    const frozenTenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' }, 'http://127.0.0.1:9');
    const frozenSupplier = await linkSupplier(sys, frozenTenant);
    // Healthy: completed cases, and cases waiting on a supplier within its 48 h SLA.
    const healthy = await createTenant(sys);
    const quick = await linkSupplier(sys, healthy);
    const slow = await linkSupplier(sys, healthy, { slaHours: 48 });
    const auto = new AutoSupplier(sys, (supplierId) => (supplierId === quick.id ? quick.callbackApiKey : ''), (hook) => ((hook.data as { supplierId?: string })?.supplierId === quick.id && hook.type === 'rma.credit_requested' ? { decision: 'APPROVED', rmaNumber: 'RMA-OK' } : undefined)).start();

    const frozenOrders = await registerOrders(sys, frozenTenant, frozenSupplier, FROZEN_EARLY + FROZEN_LATE, { now: now() });
    const doneOrders = await registerOrders(sys, healthy, quick, HEALTHY_DONE, { now: now() });
    const waitingOrders = await registerOrders(sys, healthy, slow, HEALTHY_WAITING, { now: now() });

    const early = await Promise.all(frozenOrders.slice(0, FROZEN_EARLY).map((o) => reportReturn(sys, frozenTenant, body(o.id))));
    const done = await Promise.all(doneOrders.map((o) => reportReturn(sys, healthy, body(o.id))));
    const waiting = await Promise.all(waitingOrders.map((o) => reportReturn(sys, healthy, body(o.id))));
    const states = (ids: string[]) => sys.sql<{ state: string; closed_at: Date | null }>(`SELECT state, closed_at FROM sagas WHERE return_id = ANY($1::uuid[])`, [ids]);
    await waitFor(async () => (await states(early)).filter((s) => s.state === 'REFUNDING').length === FROZEN_EARLY, { timeoutMs: 30_000, message: 'frozen cases in REFUNDING' });
    await waitFor(async () => (await states(done)).filter((s) => s.closed_at).length === HEALTHY_DONE, { timeoutMs: 30_000, message: 'healthy cases completed' });
    await waitFor(async () => (await states(waiting)).filter((s) => s.state === 'AWAITING_SUPPLIER').length === HEALTHY_WAITING, { timeoutMs: 30_000, message: 'healthy cases waiting on the supplier' });

    // 6 min later, more cases freeze: they must be flagged 6 min after the first ones, not with them.
    await advance(6 * MIN);
    const late = await Promise.all(frozenOrders.slice(FROZEN_EARLY).map((o) => reportReturn(sys, frozenTenant, body(o.id))));
    await waitFor(async () => (await states(late)).filter((s) => s.state === 'REFUNDING').length === FROZEN_LATE, { timeoutMs: 30_000, message: 'late frozen cases in REFUNDING' });

    // No manual scans: the alerts come from the detector's own periodic job, run by advance() with the clock.
    const timeline: { atMin: number; flagged: number; falsePositives: number }[] = [];
    const check = async (atMin: number, expected: string[]) => {
      const flagged = await stuckIds(frozenTenant);
      const falsePositives = await stuckIds(healthy);
      timeline.push({ atMin, flagged: flagged.length, falsePositives: falsePositives.length });
      expect(flagged).toEqual([...expected].sort());
      expect(falsePositives).toEqual([]);
      expect(await alerted(frozenTenant)).toEqual([...expected].sort());
      expect(await alerted(healthy)).toEqual([]);
    };

    await advance(8 * MIN); // early: 14 min in REFUNDING; late: 8 min
    await check(14, []);
    await advance(2 * MIN); // early: 16 min, past 15
    await check(16, early);
    await advance(4 * MIN); // early 20, late 14
    await check(20, early);
    await advance(2 * MIN); // late 16
    await check(22, [...early, ...late]);
    await auto.stop();

    // The frozen cases are still where they froze, the healthy ones where they belong.
    expect((await states([...early, ...late])).every((s) => s.state === 'REFUNDING')).toBe(true);
    expect((await states(done)).every((s) => s.state === 'COMPLETED')).toBe(true);
    expect((await states(waiting)).every((s) => s.state === 'AWAITING_SUPPLIER')).toBe(true);

    reportFigures('8. Stuck detector', {
      frozen: FROZEN_EARLY + FROZEN_LATE,
      healthy: HEALTHY_DONE + HEALTHY_WAITING,
      expectedTimeInRefundingMin: threshold / MIN,
      scanEverySeconds: STUCK_SCAN_EVERY_MS / 1000,
      checks: timeline,
      flaggedBeforeThreshold: 0,
      missedAfterThreshold: 0,
      falsePositives: timeline.reduce((n, c) => n + c.falsePositives, 0),
    });
  }, 180_000);
});
