import { SERVICES, startSystem, System, waitFor } from '../support/system';
import { reportFigures } from './support/figures';
import { auth, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const ANSWERS = 20;

/**
 * Fault 7: a supplier's system fires the same answer 20 times at once (a retry
 * storm on their side). One answer is recorded, the saga moves once, the
 * customer is refunded once; every call gets the same, successful result.
 */
describe('fault: 20 concurrent identical supplier answers for one request', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ config: Object.fromEntries(SERVICES.map((s) => [s, { KAFKA_FETCH_MAX_WAIT_MS: 20 }])) });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it(`${ANSWERS} identical answers at once: one recorded, one saga step, one refund`, async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const [order] = await registerOrders(sys, tenant, supplier, 1, { now: sys.clock.now() });
    const returnId = await reportReturn(sys, tenant, { orderId: order.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/c.jpg'] });
    const hook = await waitFor(() => sys.supplier.requests.find((r) => (r.json as { data?: { orderId?: string } })?.data?.orderId === order.externalId), { timeoutMs: 20_000 });
    const { requestId, amount } = (hook.json as { data: { requestId: string; amount: { amountMinor: number } } }).data;

    const body = { decision: 'APPROVED', amountMinor: amount.amountMinor, currency: 'EUR', rmaNumber: 'RMA-STORM' };
    const results = await Promise.all(Array.from({ length: ANSWERS }, () => sys.http.post(`/supplier-api/requests/${requestId}/answer`, body, auth(supplier.callbackApiKey))));

    const done = await waitFor(async () => {
      const [s] = await sys.sql<{ id: string; state: string }>(`SELECT id, state FROM sagas WHERE return_id = $1 AND closed_at IS NOT NULL`, [returnId]);
      return s;
    }, { timeoutMs: 30_000, message: 'the case closed' });
    await sys.smtp.waitFor((m) => m.headers['x-return-id'] === returnId && m.headers['x-template'] === 'REFUND_ISSUED', 20_000);

    // Every caller hears success, and the same answer time: one of them recorded it, the others got it back.
    expect(results.map((r) => r.status)).toEqual(Array(ANSWERS).fill(200));
    expect(results.filter((r) => r.data.duplicate === false)).toHaveLength(1);
    expect(new Set(results.map((r) => String(r.data.answeredAt))).size).toBe(1);
    const answers = await sys.sql(`SELECT request_id FROM supplier_answers WHERE request_id = $1`, [requestId]);
    expect(answers).toHaveLength(1);
    const steps = await sys.sql<{ cause: string; to_state: string }>(`SELECT cause, to_state FROM saga_transitions WHERE saga_id = $1 AND detail->>'type' = 'SupplierAnswered'`, [done.id]);
    expect(steps).toHaveLength(1);
    expect(done.state).toBe('COMPLETED');
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(1);
    const mails = sys.smtp.messages.filter((m) => m.headers['x-return-id'] === returnId && m.headers['x-template'] === 'REFUND_ISSUED');
    expect(mails).toHaveLength(1);

    reportFigures('7. 20 concurrent identical supplier answers', {
      answersSent: ANSWERS,
      http200: results.filter((r) => r.status === 200).length,
      recorded: answers.length,
      repliedAsDuplicate: results.filter((r) => r.data.duplicate === true).length,
      sagaStepsFromAnswers: steps.length,
      refundsAtStore: sys.shop.refunds.filter((r) => r.orderId === order.externalId).length,
      finalState: done.state,
    });
  });
});
