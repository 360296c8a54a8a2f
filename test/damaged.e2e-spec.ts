import { answer, auth, createTenant, DAY, linkSupplier, registerOrder, sagaOf, waitForState, webhookFor, fieldsOf } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

describe('DAMAGED return, end to end', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs from intake to COMPLETED: e-mails, signed supplier webhook, approval, one Shopify refund', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 3 });

    const res = await sys.http.post('/returns', {
      orderId: order.id, eventType: 'DAMAGED', reason: 'Arrived broken',
      lines: [{ lineId: order.lines[0].id, quantity: 2 }], evidenceUrls: ['https://photos.example.test/broken.jpg'],
    }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    const { returnId } = res.data;
    expect(returnId).toMatch(/^[0-9a-f-]{36}$/);

    const received = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /received your claim/.test(m.subject), 20_000);
    expect(received.from).toContain('care@acme.test');
    expect(received.text).toContain('Ceramic vase');

    const { req, payload } = await webhookFor(sys, order.externalId);
    expect(req.verified).toBe(true);
    expect(payload.data.amount.amountMinor).toBe(2 * 1999);
    await waitForState(sys, tenant, returnId, 'AWAITING_SUPPLIER');

    const ok = await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED', amountMinor: 3998, currency: 'EUR', rmaNumber: 'RMA-1' });
    expect(ok.status).toBe(200);

    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    const refunds = sys.shop.refunds.filter((r) => r.orderId === order.externalId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amountMinor).toBe(2 * 1999 + 495); // whole order: lines + shipping
    expect(refunds[0].lines.map((l) => [l.lineItemId, l.quantity])).toEqual([[order.lines[0].externalId, 2]]);
    expect(refunds[0].key).toMatch(/^[0-9a-f-]{36}$/);

    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /refund of €44\.93/.test(m.subject), 20_000);

    expect(done.amounts).toMatchObject({ currency: 'EUR', shopCurrency: 'EUR', refundedMinor: 4493, supplierCreditGrantedMinor: 3998, supplierCreditRequestedMinor: 3998, netCostMinor: 495 });
    const path = done.timeline.map((t: { to: string }) => t.to);
    expect(path).toEqual(expect.arrayContaining(['AWAITING_SUPPLIER', 'REFUNDING', 'COMPLETED']));
    for (const step of done.timeline) expect(new Date(step.at).getTime()).toBeGreaterThan(0);
    expect(done.saga.definitionVersion).toBe(1);
    expect(done.saga.tenantPolicyVersion).toBe(1);
  });

  it('supplier REJECTED ends ESCALATED; under the auto-approve limit the customer is refunded anyway', async () => {
    const tenant = await createTenant(sys, { autoApproveBelowMinor: 5000 });
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/a.jpg'] }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId);
    expect((await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'packaging was fine' })).status).toBe(200);
    const escalated = await waitForState(sys, tenant, data.returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toContain('packaging was fine');
    await waitFor(() => sys.shop.refunds.find((r) => r.orderId === order.externalId), { timeoutMs: 20_000 });
    const after = await waitFor(async () => {
      const s = await sagaOf(sys, tenant, data.returnId);
      return s.amounts.refundedMinor > 0 ? s : undefined;
    });
    expect(after.state).toBe('ESCALATED');
    expect(after.amounts.supplierCreditGrantedMinor).toBe(0);
    expect(after.amounts.netCostMinor).toBe(after.amounts.refundedMinor);
  });

  it('supplier REJECTED above the auto-approve limit: ESCALATED, no refund, customer told we are reviewing', async () => {
    const tenant = await createTenant(sys, { autoApproveBelowMinor: 0 });
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 2 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/a.jpg'] }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId);
    await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'no damage visible' });
    await waitForState(sys, tenant, data.returnId, 'ESCALATED');
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /reviewing your claim/.test(m.subject), 20_000);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('rejects a payload with missing or invalid fields with 400 naming each field, and stores nothing', async () => {
    const tenant = await createTenant(sys);
    const before = await sys.sql<{ n: string }>('SELECT count(*) AS n FROM returns');
    const res = await sys.http.post('/returns', { eventType: 'EXPLODED', lines: [{ quantity: 0 }], evidenceUrls: ['not a url'], extra: 1 }, auth(tenant.apiKey));
    expect(res.status).toBe(400);
    const fields: string[] = fieldsOf(res.data);
    expect(fields).toEqual(expect.arrayContaining(['orderId', 'externalOrderId', 'eventType', 'lines.0.quantity', 'evidenceUrls', 'extra']));
    const after = await sys.sql<{ n: string }>('SELECT count(*) AS n FROM returns');
    expect(after[0].n).toBe(before[0].n);
    const outbox = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE topic = 'returns.reported'`);
    expect(Number(outbox[0].n)).toBe(0);
  });

  it('unknown order: 404', async () => {
    const tenant = await createTenant(sys);
    const res = await sys.http.post('/returns', { orderId: '00000000-0000-4000-8000-000000000000', eventType: 'DAMAGED' }, auth(tenant.apiKey));
    expect(res.status).toBe(404);
  });

  it('claim outside the policy window: 422 with the reason', async () => {
    const tenant = await createTenant(sys, { claimWindowDays: 14 });
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 20 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED' }, auth(tenant.apiKey));
    expect(res.status).toBe(422);
    expect(res.data.reason).toMatch(/claim window of 14 days/);
  });

  it('the same return POSTed twice with one Idempotency-Key makes one return', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 1 });
    const body = { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/x.jpg'] };
    const headers = { ...auth(tenant.apiKey).headers, 'idempotency-key': 'claim-42' };
    const [a, b] = await Promise.all([sys.http.post('/returns', body, { headers }), sys.http.post('/returns', body, { headers })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.data.returnId).toBe(b.data.returnId);
    const c = await sys.http.post('/returns', body, { headers });
    expect(c.data.returnId).toBe(a.data.returnId);
    const rows = await sys.sql<{ n: string }>('SELECT count(*) AS n FROM returns WHERE order_id = $1', [order.id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it("another tenant's key cannot see or touch a return (404)", async () => {
    const owner = await createTenant(sys);
    const other = await createTenant(sys);
    const supplier = await linkSupplier(sys, owner);
    const order = await registerOrder(sys, owner, [supplier], { deliveredDaysAgo: 1 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://e.test/p.jpg'] }, auth(owner.apiKey));
    expect((await sys.http.get(`/returns/${data.returnId}`, auth(other.apiKey))).status).toBe(404);
    expect((await sys.http.get(`/orders/${order.id}`, auth(other.apiKey))).status).toBe(404);
    expect((await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED' }, auth(other.apiKey))).status).toBe(404);
    expect((await sys.http.get(`/returns/${data.returnId}`)).status).toBe(401);
  });

  it('claims that would refund more than was paid are refused (422)', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 1 });
    const first = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://e.test/1.jpg'] }, auth(tenant.apiKey));
    expect(first.status).toBe(202);
    const second = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://e.test/2.jpg'] }, auth(tenant.apiKey));
    expect(second.status).toBe(422);
    expect(second.data.detail).toMatch(/exceeds what is still refundable/);
  });

  void DAY;
});
