import { advance, answer, auth, createTenant, DAY, linkSupplier, registerOrder, reminderFor, sagaOf, signedPayload, waitForState, webhookFor } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

const HOUR = 3_600_000;

describe('WRONG_ITEM return, end to end', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('replacement: apology with the goodwill code, a signed RESHIP request, REPLACEMENT_SHIPPED → e-mail → COMPLETED, no money moves', async () => {
    const tenant = await createTenant(sys, { wrongItemDiscountCode: 'SORRY10', feedbackAfterDays: 3 });
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'WRONG_ITEM', resolution: 'REPLACEMENT', reason: 'Got a blue vase, ordered green' }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    const { returnId } = res.data;

    const apology = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /sorry, we sent you the wrong item/.test(m.subject), 20_000);
    expect(apology.text).toContain('We are sending you the right item now');
    expect(apology.text).toContain('You can keep the item you received.');
    expect(apology.text).toContain('SORRY10');

    const { req, payload } = await webhookFor(sys, order.externalId, 'rma.reship_requested');
    expect(req.verified).toBe(true);
    expect(payload.data).toMatchObject({ kind: 'RESHIP', eventType: 'WRONG_ITEM' });
    await waitForState(sys, tenant, returnId, 'AWAITING_REPLACEMENT');

    expect((await answer(sys, supplier, payload.data.requestId, { decision: 'REPLACEMENT_SHIPPED', trackingNumber: 'TRK-778' })).status).toBe(200);
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    const shipped = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /replacement has shipped/.test(m.subject), 20_000);
    expect(shipped.text).toContain('TRK-778');
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
    expect(done.amounts).toMatchObject({ refundedMinor: 0, supplierCreditRequestedMinor: 0, supplierCreditGrantedMinor: 0, netCostMinor: 0 });
    expect(done.timeline.map((t: { to: string }) => t.to)).toEqual(expect.arrayContaining(['AWAITING_REPLACEMENT', 'COMPLETED']));

    // A few days after closing: the feedback request (a persisted deadline).
    await advance(sys, 3 * DAY + HOUR);
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /how did we do/.test(m.subject), 20_000);
  });

  it('supplier wants the wrong item back: no keep-item, and the label from its answer reaches the customer', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant, { returnRequiredFor: ['WRONG_ITEM'] });
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 1, locale: 'nl' });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'WRONG_ITEM', resolution: 'REPLACEMENT' }, auth(tenant.apiKey));
    const apology = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /verkeerde artikel/.test(m.subject), 20_000);
    expect(apology.text).toContain('retourinstructies');
    expect(apology.text).not.toContain('houden.');
    const { payload } = await webhookFor(sys, order.externalId, 'rma.reship_requested');
    await answer(sys, supplier, payload.data.requestId, { decision: 'REPLACEMENT_SHIPPED', trackingNumber: 'TRK-2', returnLabelUrl: 'https://labels.example.test/wi-2.pdf', rmaNumber: 'RMA-22' });
    await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    const instructions = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /zo stuur je je artikel terug/.test(m.subject), 20_000);
    expect(instructions.text).toContain('https://labels.example.test/wi-2.pdf');
    expect(instructions.text).toContain('RMA-22');
  });

  it('supplier REJECTED the reship: ESCALATED with the reason, customer told we are reviewing, no refund', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'WRONG_ITEM', resolution: 'REPLACEMENT' }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId, 'rma.reship_requested');
    await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'photos show the right colour' });
    const escalated = await waitForState(sys, tenant, data.returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toContain('photos show the right colour');
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /reviewing your claim/.test(m.subject), 20_000);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('supplier silent past the SLA: one reminder webhook, then ESCALATED', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant, { slaHours: 24 });
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'WRONG_ITEM', resolution: 'REPLACEMENT' }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId, 'rma.reship_requested');
    await waitForState(sys, tenant, data.returnId, 'AWAITING_REPLACEMENT');

    await advance(sys, 24 * HOUR + 60_000);
    const reminder = await reminderFor(sys, payload.data.requestId);
    expect(signedPayload(sys, reminder)).toMatchObject({ type: 'rma.reminder', data: { requestId: payload.data.requestId } });
    expect((await sagaOf(sys, tenant, data.returnId)).state).toBe('AWAITING_REPLACEMENT');

    await advance(sys, 12 * HOUR + 60_000);
    const escalated = await waitForState(sys, tenant, data.returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toMatch(/did not answer within its SLA/);
  });

  it('refund path: the store failing, then recovering, pays the customer exactly once', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'WRONG_ITEM', resolution: 'REFUND' }, auth(tenant.apiKey));
    const apology = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /wrong item/.test(m.subject), 20_000);
    expect(apology.text).toContain('We are refunding you');
    const { payload } = await webhookFor(sys, order.externalId);
    expect(payload.data.amount.amountMinor).toBe(3998);

    const attemptsBefore = sys.shop.refundCreateRequests.length;
    sys.shop.failNext(3);
    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    await waitForState(sys, tenant, data.returnId, 'REFUNDING');
    // Each retry waits out its backoff on the (manual) clock.
    await waitFor(async () => {
      await advance(sys, 30_000);
      return sys.shop.refunds.find((r) => r.orderId === order.externalId);
    }, { timeoutMs: 30_000, message: 'refund after the store recovered' });
    const done = await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    expect(sys.shop.refundCreateRequests.length - attemptsBefore).toBeGreaterThanOrEqual(4);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(1);
    expect(done.amounts).toMatchObject({ refundedMinor: 4493, supplierCreditGrantedMinor: 3998, netCostMinor: 495 });
  });
});
