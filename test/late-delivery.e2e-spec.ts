import { advance, answer, auth, createTenant, DAY, linkSupplier, registerOrder, reminderFor, sagaOf, trackEvent, waitForState, webhookFor } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

const HOUR = 3_600_000;
const PERCENT = { lateGoodwill: { kind: 'PERCENT', percent: 10 }, lateCancelThresholdDays: 7 };
const CODE = { lateGoodwill: { kind: 'DISCOUNT_CODE', discountCode: 'LATE15' }, lateCancelThresholdDays: 7 };

describe('LATE_DELIVERY return, end to end', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function reportLate(policy: Record<string, unknown>, promisedDaysAgo: number, body: Record<string, unknown> = {}, supplierPolicy: Record<string, unknown> = {}) {
    const tenant = await createTenant(sys, policy);
    const supplier = await linkSupplier(sys, tenant, supplierPolicy);
    const order = await registerOrder(sys, tenant, [supplier], { promisedDaysAgo });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'LATE_DELIVERY', ...body }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    await waitForState(sys, tenant, res.data.returnId, 'AWAITING_DELIVERY');
    return { tenant, supplier, order, returnId: res.data.returnId as string };
  }

  it('new ETA with a 10% goodwill refund; past the threshold the customer cancels: CANCEL at the supplier, then the rest refunded', async () => {
    const eta = new Date(sys.clock.now().getTime() + 5 * DAY);
    const { tenant, supplier, order, returnId } = await reportLate(PERCENT, 9, { newEta: eta.toISOString() });
    const etaMail = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /new delivery date/.test(m.subject), 20_000);
    expect(etaMail.text).toContain(new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(eta));
    expect(etaMail.text).toContain('we are refunding €4.49');
    const goodwill = await waitFor(() => sys.shop.refunds.find((r) => r.orderId === order.externalId), { timeoutMs: 20_000 });
    expect(goodwill).toMatchObject({ amountMinor: 449, shippingMinor: 0, lines: [] });
    await waitFor(async () => ((await sagaOf(sys, tenant, returnId)).amounts.goodwillMinor === 449 ? true : undefined), { timeoutMs: 20_000 });

    expect((await trackEvent(sys, tenant, returnId, { status: 'CUSTOMER_CANCEL_REQUESTED' })).status).toBe(202);
    const { req, payload } = await webhookFor(sys, order.externalId, 'order.cancel_requested');
    expect(req.headers['webhook-signature']).toBeTruthy();
    expect(payload.data).toMatchObject({ kind: 'CANCEL', eventType: 'LATE_DELIVERY' });
    await waitForState(sys, tenant, returnId, 'CANCELLING');

    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    const refunds = sys.shop.refunds.filter((r) => r.orderId === order.externalId);
    expect(refunds.map((r) => r.amountMinor)).toEqual([449, 4493 - 449]);
    expect(sys.shop.refundedMinor(order.externalId)).toBe(4493); // everything paid, never more
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /refund of €40\.44/.test(m.subject), 20_000);
    expect(done.amounts).toMatchObject({ refundedMinor: 4044, goodwillMinor: 449, supplierCreditRequestedMinor: 3998, supplierCreditGrantedMinor: 3998 });
  });

  it('discount-code goodwill, then delivered after all: the case closes as DELIVERED, no money moves', async () => {
    const { tenant, order, returnId } = await reportLate(CODE, 2);
    const etaMail = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /new delivery date/.test(m.subject), 20_000);
    expect(etaMail.text).toContain('LATE15');
    expect(etaMail.text).toContain('We are checking the new delivery date');
    await trackEvent(sys, tenant, returnId, { status: 'ORDER_DELIVERED', carrier: 'GLS' });
    const closed = await waitForState(sys, tenant, returnId, 'DELIVERED');
    expect(closed.saga.closedAt).not.toBeNull();
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('supplier REJECTED the cancel: ESCALATED, customer told we are reviewing, no cancel refund', async () => {
    const { tenant, supplier, order, returnId } = await reportLate(CODE, 10);
    await trackEvent(sys, tenant, returnId, { status: 'CUSTOMER_CANCEL_REQUESTED' });
    const { payload } = await webhookFor(sys, order.externalId, 'order.cancel_requested');
    await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'already handed to the carrier' });
    const escalated = await waitForState(sys, tenant, returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toContain('already handed to the carrier');
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /reviewing your claim/.test(m.subject), 20_000);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('a cancel asked for before the threshold waits for it; then the supplier stays silent: reminder, then ESCALATED', async () => {
    const { tenant, order, returnId } = await reportLate(CODE, 3, {}, { slaHours: 24 });
    await trackEvent(sys, tenant, returnId, { status: 'CUSTOMER_CANCEL_REQUESTED' });
    await waitFor(async () => (await sagaOf(sys, tenant, returnId)).timeline.some((t: { cause: string }) => /CancelRequested/.test(t.cause)), { timeoutMs: 20_000 });
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('AWAITING_DELIVERY');

    await advance(sys, 4 * DAY + 60_000); // promised 3 days ago + threshold 7
    await waitForState(sys, tenant, returnId, 'CANCELLING');
    const { payload } = await webhookFor(sys, order.externalId, 'order.cancel_requested');

    await advance(sys, 24 * HOUR + 60_000);
    await reminderFor(sys, payload.data.requestId);
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('CANCELLING');
    await advance(sys, 12 * HOUR + 60_000);
    const escalated = await waitForState(sys, tenant, returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toMatch(/did not answer within its SLA/);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });
});
