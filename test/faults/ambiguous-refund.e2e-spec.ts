import { startSystem, System, waitFor } from '../support/system';
import { reportFigures } from './support/figures';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const CASES = 50;

/**
 * Fault 2: the store performs each refund but the answer never arrives (the
 * connection drops after the work is done), 50 times. The retry must reuse
 * the idempotency key, so the store replays its stored result: one refund each.
 */
describe('fault: refund succeeds, then the response times out (ambiguous)', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it(`${CASES} ambiguous refunds: exactly one refund each, the same idempotency key reused on retry`, async () => {
    const tenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' }); // the refund is the case's first step
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, CASES, { now: sys.clock.now() });
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();
    sys.shop.timeoutAfterSuccessNext(CASES, { newRefundsOnly: true }); // each first refundCreate: performed, stored, answer dropped

    const returnIds = await Promise.all(orders.map((o) => reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/a.jpg'] })));
    await waitFor(() => sys.shop.refundCreateRequests.filter((r) => r.dropped).length === CASES, { timeoutMs: 60_000, message: `${CASES} first attempts answered with silence` });

    // The refunds service saw timeouts/resets: it retries on its backoff (1 s, 2 s, ...); move the clock through it.
    const refunded = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM refunds WHERE status = 'SUCCEEDED'`))[0].n);
    await waitFor(async () => {
      sys.clock.advance(2_000);
      await sys.runDueTasks();
      return (await refunded()) === CASES;
    }, { timeoutMs: 90_000, intervalMs: 200, message: 'every refund settled after retries' });
    const closed = (await waitFor(async () => {
      const rows = await sys.sql<{ state: string }>(`SELECT state FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [returnIds]);
      return rows.length === CASES ? rows : undefined;
    }, { timeoutMs: 60_000, message: 'every case closed' }))!;
    await auto.stop();

    // Exactly one refund per order at the store, whatever was retried.
    expect(sys.shop.refunds).toHaveLength(CASES);
    expect(new Set(sys.shop.refunds.map((r) => r.orderId))).toEqual(new Set(orders.map((o) => o.externalId)));
    expect(closed.every((c) => c.state === 'COMPLETED')).toBe(true);

    // Per refund: the dropped first call and the replayed retry carry the same key, our refund id.
    const rows = await sys.sql<{ id: string; attempts: number; provider_refund_id: string }>(`SELECT id, attempts, provider_refund_id FROM refunds`);
    const calls = sys.shop.refundCreateRequests;
    for (const r of rows) {
      const mine = calls.filter((c) => c.idempotencyKey === r.id);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine[0]).toMatchObject({ outcome: 'refund-created', dropped: true });
      expect(mine.slice(1).every((c) => c.outcome === 'replayed')).toBe(true);
      expect(mine.at(-1)!.dropped).toBe(false);
      expect(r.attempts).toBeGreaterThanOrEqual(2);
    }
    // The provider id recorded is the store's, from the replay: the one refund that exists.
    expect(new Set(rows.map((r) => r.provider_refund_id))).toEqual(new Set(sys.shop.refunds.map((r) => r.id)));

    reportFigures('2. Refund succeeded, answer lost (ambiguous), ×50', {
      cases: CASES,
      refundCreateCalls: calls.length,
      droppedAnswers: calls.filter((c) => c.dropped).length,
      replays: calls.filter((c) => c.outcome === 'replayed').length,
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: sys.shop.refunds.length - new Set(sys.shop.refunds.map((r) => r.orderId)).size,
      keysReused: rows.filter((r) => calls.filter((c) => c.idempotencyKey === r.id).length >= 2).length,
      maxAttempts: Math.max(...rows.map((r) => r.attempts)),
    });
  });
});
