import { auth, createTenant, linkSupplier, registerOrder, sagaOf, waitForState, fieldsOf } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

type Gap = { code: string; eventTypes?: string[]; message: string };
const codes = (gaps: Gap[]) => gaps.map((g) => g.code);

describe('Policies: versions, alignment, not-recoverable flag at intake', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('reports every gap kind when a supplier is linked, on GET /suppliers/:id/alignment, and after either policy changes', async () => {
    const tenant = await createTenant(sys, { claimWindowDays: 30, refundTiming: 'IMMEDIATE', returnShippingPayer: 'TENANT' });
    const link = await sys.http.post('/suppliers', {
      name: 'Strict Supplies', webhookUrl: sys.supplier.url('/webhooks'),
      policy: { returnWindowDays: 14, returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: ['DAMAGED'], paysReturnShippingFor: [], slaHours: 48 },
    }, auth(tenant.apiKey));
    expect(link.status).toBe(201);
    // window, refund timing vs return requirement, evidence, return-shipping payer
    expect(codes(link.data.gaps)).toEqual(['WINDOW', 'REFUND_BEFORE_RETURN', 'EVIDENCE', 'RETURN_SHIPPING']);
    expect(link.data.gaps[0].message).toBe('tenant promises 30 days, supplier accepts 14');
    expect(link.data.gaps.find((g: Gap) => g.code === 'REFUND_BEFORE_RETURN').eventTypes).toEqual(['QUALITY_ISSUE']);

    const aligned = await sys.http.get(`/suppliers/${link.data.id}/alignment`, auth(tenant.apiKey));
    expect(aligned.status).toBe(200);
    expect(aligned.data).toEqual({ supplierId: link.data.id, supplierName: 'Strict Supplies', supplierPolicyVersion: 1, tenantPolicyVersion: 1, gaps: link.data.gaps });

    // The supplier fixes its side: a new version, fewer gaps.
    const put = await sys.http.put(`/suppliers/${link.data.id}/policy`, { returnWindowDays: 30, returnRequiredFor: ['QUALITY_ISSUE'], paysReturnShippingFor: ['QUALITY_ISSUE'], evidenceRequiredFor: [], slaHours: 48 }, auth(tenant.apiKey));
    expect(put.status).toBe(200);
    expect(put.data.policyVersion).toBe(2);
    expect(codes(put.data.gaps)).toEqual(['REFUND_BEFORE_RETURN']);
    expect((await sys.http.get(`/suppliers/${link.data.id}/alignment`, auth(tenant.apiKey))).data).toMatchObject({ supplierPolicyVersion: 2, gaps: put.data.gaps });

    // The tenant changes its promise: the answer lists the gaps against every linked supplier.
    const lenient = await linkSupplier(sys, tenant, { returnWindowDays: 60, evidenceRequiredFor: [] }, 'Lenient Ltd');
    const tp = await sys.http.put('/tenant/policy', { claimWindowDays: 45, refundTiming: 'ON_SUPPLIER_APPROVAL' }, auth(tenant.apiKey));
    expect(tp.status).toBe(200);
    expect(tp.data.version).toBe(2);
    expect(tp.data.alignment).toEqual([
      { supplierId: lenient.id, supplierName: 'Lenient Ltd', supplierPolicyVersion: 1, tenantPolicyVersion: 2, gaps: [] },
      { supplierId: link.data.id, supplierName: 'Strict Supplies', supplierPolicyVersion: 2, tenantPolicyVersion: 2, gaps: [{ code: 'WINDOW', message: 'tenant promises 45 days, supplier accepts 30' }] },
    ]);
    expect((await sys.http.get('/tenant/alignment', auth(tenant.apiKey))).data).toEqual(tp.data.alignment);
    expect((await sys.http.get('/tenant/policy', auth(tenant.apiKey))).data).toMatchObject({ version: 2, policy: { claimWindowDays: 45 } });
  });

  it('a bad policy is refused with 400 naming each field, and makes no new version', async () => {
    const tenant = await createTenant(sys);
    const res = await sys.http.put('/tenant/policy', { claimWindowDays: -1, refundTiming: 'WHENEVER', returnShippingPayer: 'NOBODY' }, auth(tenant.apiKey));
    expect(res.status).toBe(400);
    expect(fieldsOf(res.data)).toEqual(expect.arrayContaining(['claimWindowDays', 'refundTiming', 'returnShippingPayer']));
    expect((await sys.http.get('/tenant/policy', auth(tenant.apiKey))).data.version).toBe(1);
  });

  it("another tenant's supplier: 404", async () => {
    const owner = await createTenant(sys);
    const other = await createTenant(sys);
    const s = await linkSupplier(sys, owner);
    expect((await sys.http.get(`/suppliers/${s.id}/alignment`, auth(other.apiKey))).status).toBe(404);
    expect((await sys.http.get(`/suppliers/${s.id}/alignment`, auth(owner.apiKey))).status).toBe(200);
  });

  it('flags each claim that falls into a gap as not recoverable at intake, with its reason, in POST /returns and GET /returns/:id', async () => {
    const tenant = await createTenant(sys, { claimWindowDays: 30 });
    const shortWindow = await linkSupplier(sys, tenant, { returnWindowDays: 7, evidenceRequiredFor: [] }, 'A Short Window');
    const photos = await linkSupplier(sys, tenant, { returnWindowDays: 30, evidenceRequiredFor: ['DAMAGED'] }, 'B Wants Photos');
    const order = await registerOrder(sys, tenant, [shortWindow, photos], { deliveredDaysAgo: 10 });

    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', reason: 'both broken' }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    expect(res.data.notRecoverable.sort()).toEqual(["outside the supplier's 7-day return window", 'supplier requires evidence for DAMAGED']);

    const view = await waitForState(sys, tenant, res.data.returnId, 'AWAITING_SUPPLIER');
    expect(view.notRecoverable).toContain("outside the supplier's 7-day return window");
    expect(view.notRecoverable).toContain('supplier requires evidence for DAMAGED');
    const bySupplier = Object.fromEntries(view.saga.claims.map((c: { supplierId: string; notRecoverable?: string }) => [c.supplierId, c.notRecoverable]));
    expect(bySupplier).toEqual({ [shortWindow.id]: "outside the supplier's 7-day return window", [photos.id]: 'supplier requires evidence for DAMAGED' });
  });

  it('a claim inside every window, with evidence, is not flagged', async () => {
    const tenant = await createTenant(sys);
    const s = await linkSupplier(sys, tenant, { returnWindowDays: 30, evidenceRequiredFor: ['DAMAGED'] });
    const order = await registerOrder(sys, tenant, [s], { deliveredDaysAgo: 3 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/1.jpg'] }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    expect(res.data.notRecoverable).toEqual([]);
    const view = await waitForState(sys, tenant, res.data.returnId, 'AWAITING_SUPPLIER');
    expect(view.notRecoverable).toBeNull();
  });

  it('a case keeps the policy versions it started under; a later case gets the new ones', async () => {
    const tenant = await createTenant(sys);
    const s = await linkSupplier(sys, tenant, { evidenceRequiredFor: [] });
    const first = await registerOrder(sys, tenant, [s], { deliveredDaysAgo: 1 });
    const a = await sys.http.post('/returns', { orderId: first.id, eventType: 'DAMAGED' }, auth(tenant.apiKey));
    await waitForState(sys, tenant, a.data.returnId, 'AWAITING_SUPPLIER');

    expect((await sys.http.put('/tenant/policy', { claimWindowDays: 20 }, auth(tenant.apiKey))).data.version).toBe(2);
    expect((await sys.http.put(`/suppliers/${s.id}/policy`, { returnWindowDays: 20, slaHours: 24 }, auth(tenant.apiKey))).data.policyVersion).toBe(2);

    const second = await registerOrder(sys, tenant, [s], { deliveredDaysAgo: 1 });
    const b = await sys.http.post('/returns', { orderId: second.id, eventType: 'DAMAGED' }, auth(tenant.apiKey));
    await waitForState(sys, tenant, b.data.returnId, 'AWAITING_SUPPLIER');

    const before = await sagaOf(sys, tenant, a.data.returnId);
    const after = await sagaOf(sys, tenant, b.data.returnId);
    expect([before.saga.tenantPolicyVersion, before.saga.supplierPolicyVersion]).toEqual([1, 1]);
    expect([after.saga.tenantPolicyVersion, after.saga.supplierPolicyVersion]).toEqual([2, 2]);
    // the first case's answer deadline still follows the SLA it started with (48 h), the second the new one (24 h)
    const deadlines = await waitFor(async () => {
      const rows = await sys.sql<{ dedupe_key: string; run_at: Date }>(`SELECT dedupe_key, run_at FROM tasks WHERE queue = 'saga-timer' AND dedupe_key LIKE '%SUPPLIER_SLA%' AND (dedupe_key LIKE $1 OR dedupe_key LIKE $2)`, [`${before.saga.id}%`, `${after.saga.id}%`]);
      return rows.length === 2 ? rows : undefined;
    });
    const slaHours = (sagaId: string, startedAt: string) => Math.round((new Date(deadlines!.find((d) => d.dedupe_key.startsWith(sagaId))!.run_at).getTime() - new Date(startedAt).getTime()) / 3_600_000);
    expect(slaHours(before.saga.id, before.saga.startedAt)).toBe(48);
    expect(slaHours(after.saga.id, after.saga.startedAt)).toBe(24);
  });
});
