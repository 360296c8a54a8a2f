import { StuckDetector } from '../apps/api/src/ops/stuck-detector';
import { answer, auth, createTenant, DAY, LinkedSupplier, linkSupplier, registerOrder, signedPayload, Tenant, waitForState, webhookFor, fieldsOf } from './support/scenario';
import { SseClient } from './support/sse';
import { startSystem, System, waitFor } from './support/system';

const MIN = 60_000;

describe('Ops API', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const ops = (t: Tenant, actor = 'Ana') => ({ headers: { authorization: `Bearer ${t.opsApiKey}`, 'x-ops-actor': actor } });
  const withKey = (t: Tenant, key: string) => ({ headers: { ...ops(t).headers, 'idempotency-key': key } });

  async function report(t: Tenant, s: LinkedSupplier[], body: Record<string, unknown> = {}, orderOpts: Parameters<typeof registerOrder>[3] = { deliveredDaysAgo: 2 }) {
    const order = await registerOrder(sys, t, s, orderOpts);
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', reason: 'Arrived broken', evidenceUrls: ['https://photos.example.test/b.jpg'], ...body }, auth(t.apiKey));
    if (res.status !== 202) throw new Error(`report: ${res.status} ${JSON.stringify(res.data)}`);
    return { returnId: res.data.returnId as string, order };
  }

  const detail = async (t: Tenant, returnId: string) => (await sys.http.get(`/ops/cases/${returnId}`, ops(t))).data;
  const list = async (t: Tenant, query: string) => {
    const res = await sys.http.get(`/ops/cases?${query}`, ops(t));
    expect(res.status).toBe(200);
    return res.data as { items: { returnId: string; state: string; stuck: boolean; stuckReason: string | null }[]; nextCursor: string | null };
  };
  const ids = (r: { items: { returnId: string }[] }) => r.items.map((i) => i.returnId);

  describe('read side', () => {
    let t: Tenant;
    let other: Tenant;
    let s1: LinkedSupplier;
    let s2: LinkedSupplier;
    let awaiting: { returnId: string; order: { externalId: string } };
    let escalated: { returnId: string };
    let unrecoverable: { returnId: string };
    let lost: { returnId: string };

    beforeAll(async () => {
      t = await createTenant(sys, { autoApproveBelowMinor: 0 });
      other = await createTenant(sys);
      s1 = await linkSupplier(sys, t, {}, 'Shenzhen Goods');
      awaiting = await report(t, [s1]);
      await waitForState(sys, t, awaiting.returnId, 'AWAITING_SUPPLIER');
      s2 = await linkSupplier(sys, t, {}, 'Ningbo Parts');
      escalated = await report(t, [s2]);
      const { payload } = await webhookFor(sys, (await detail(t, escalated.returnId)).externalOrderId);
      expect((await answer(sys, s2, payload.data.requestId, { decision: 'REJECTED', reason: 'no damage visible' })).status).toBe(200);
      await waitForState(sys, t, escalated.returnId, 'ESCALATED');
      unrecoverable = await report(t, [s1], { evidenceUrls: undefined });
      lost = await report(t, [s1], { eventType: 'LOST', evidenceUrls: undefined }, { promisedDaysAgo: 10 });
      await waitForState(sys, t, unrecoverable.returnId, 'AWAITING_SUPPLIER');
    });

    it('lists cases by every filter, with cursor pagination and search by order or return id', async () => {
      const all = await list(t, 'limit=50');
      expect(ids(all)).toEqual([lost.returnId, unrecoverable.returnId, escalated.returnId, awaiting.returnId]); // newest first
      expect(all.nextCursor).toBeNull();

      expect(ids(await list(t, 'eventType=DAMAGED'))).toEqual([unrecoverable.returnId, escalated.returnId, awaiting.returnId]);
      expect(ids(await list(t, 'eventType=LOST,WRONG_ITEM'))).toEqual([lost.returnId]);
      expect(ids(await list(t, 'state=ESCALATED'))).toEqual([escalated.returnId]);
      expect(ids(await list(t, 'state=AWAITING_SUPPLIER,ESCALATED'))).toEqual([unrecoverable.returnId, escalated.returnId, awaiting.returnId]);
      expect(ids(await list(t, `supplierId=${s2.id}`))).toEqual([escalated.returnId]);
      expect(ids(await list(t, 'notRecoverable=true'))).toEqual(expect.arrayContaining([unrecoverable.returnId, escalated.returnId]));
      expect(ids(await list(t, 'notRecoverable=true'))).not.toContain(awaiting.returnId);
      expect(ids(await list(t, 'notRecoverable=false'))).toContain(awaiting.returnId);
      expect(ids(await list(t, 'open=true'))).toContain(awaiting.returnId);
      expect(ids(await list(t, 'open=false'))).toEqual([]);
      expect(ids(await list(t, 'stuck=false'))).toContain(awaiting.returnId);
      expect(ids(await list(t, `q=${awaiting.returnId}`))).toEqual([awaiting.returnId]);
      expect(ids(await list(t, `q=${encodeURIComponent(awaiting.order.externalId.split('/').pop()!)}`))).toEqual([awaiting.returnId]);
      expect(ids(await list(t, `tenantId=${t.tenantId}&state=ESCALATED`))).toEqual([escalated.returnId]);
      expect((await sys.http.get(`/ops/cases?tenantId=${other.tenantId}`, ops(t))).status).toBe(404);
      expect(ids(await list(t, 'maxAgeHours=1'))).toHaveLength(4);
      expect(ids(await list(t, 'minAgeHours=1'))).toEqual([]);

      // cursor pagination walks every case once
      const seen: string[] = [];
      for (let cursor = ''; ; ) {
        const page = await list(t, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...ids(page));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(ids(all));

      // another tenant sees none of them
      expect(ids(await list(other, 'limit=50'))).toEqual([]);

      const bad = await sys.http.get('/ops/cases?eventType=EXPLODED&limit=0&stuck=maybe&supplierId=x&cursor=garbage', ops(t));
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.data)).toEqual(expect.arrayContaining(['eventType', 'limit', 'stuck', 'supplierId']));
      expect(fieldsOf((await sys.http.get('/ops/cases?cursor=garbage', ops(t))).data)).toEqual(['cursor']);
    });

    it('the age filter follows the clock', async () => {
      sys.clock.advance(2 * 3_600_000);
      expect(ids(await list(t, 'minAgeHours=1'))).toHaveLength(4);
      expect(ids(await list(t, 'maxAgeHours=1'))).toEqual([]);
      expect(ids(await list(t, 'minAgeHours=1&maxAgeHours=3'))).toHaveLength(4);
    });

    it('shows a case in full: current step and deadlines, claims, deliveries, ledger, and a paginated timeline', async () => {
      const d = await detail(t, awaiting.returnId);
      expect(d.state).toBe('AWAITING_SUPPLIER');
      expect(d.saga.definitionVersion).toBe(1);
      expect(d.currentStep.state).toBe('AWAITING_SUPPLIER');
      expect(d.currentStep.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ timer: `SUPPLIER_SLA:${s1.id}`, status: 'PENDING', overdue: false })]));
      expect(d.claims).toEqual([expect.objectContaining({ supplierId: s1.id, supplierName: 'Shenzhen Goods', canRecordDecision: true })]);
      expect(d.deliveries).toEqual([expect.objectContaining({ status: 'DELIVERED', canRedeliver: true })]);
      expect(d.ledger).toEqual([expect.objectContaining({ kind: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: 2 * 1999 })]);
      expect(d.availableActions).toEqual(expect.arrayContaining(['CANCEL', 'RESOLVE', 'SUPPLIER_DECISION', 'REDELIVER', 'NOTE']));
      expect(d.availableActions).not.toContain('RETRY');

      const kinds = new Set(d.timeline.items.map((e: { kind: string }) => e.kind));
      for (const k of ['reported', 'transition', 'supplier_request', 'webhook_attempt']) expect(kinds).toContain(k);
      await waitFor(async () => (await detail(t, awaiting.returnId)).timeline.items.some((e: { kind: string }) => e.kind === 'notification'), { timeoutMs: 20_000 });

      const full = (await detail(t, awaiting.returnId)).timeline.items.map((e: { key: string }) => e.key);
      const paged: string[] = [];
      for (let cursor = ''; ; ) {
        const page = (await sys.http.get(`/ops/cases/${awaiting.returnId}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`, ops(t))).data;
        paged.push(...page.items.map((e: { key: string }) => e.key));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(full);
      const at = (await detail(t, awaiting.returnId)).timeline.items.map((e: { at: string }) => new Date(e.at).getTime());
      expect([...at].sort((a, b) => a - b)).toEqual(at);

      const esc = await detail(t, escalated.returnId);
      expect(esc.escalation).toContain('no damage visible');
      expect(esc.notRecoverable).toBe(true);
      expect(esc.timeline.items.map((e: { kind: string }) => e.kind)).toContain('supplier_answer');
    });

    it('after a rejection the case and the ledger export give the same not-recoverable reason', async () => {
      const esc = await detail(t, escalated.returnId);
      expect(esc.notRecoverable).toBe(true);
      expect(esc.notRecoverableReason).toBe('supplier rejected: no damage visible');
      const csv = String((await sys.http.get('/reports/ledger.csv', auth(t.apiKey))).data).trimEnd().split('\r\n');
      const header = csv[0].split(',');
      const row = csv.find((l) => l.includes(escalated.returnId))!.split(',');
      expect(row[header.indexOf('not_recoverable')]).toBe('supplier rejected: no damage visible');
      // Intake's reason (evidence missing) and a recoverable case agree between the two as well.
      const un = await detail(t, unrecoverable.returnId);
      const unRow = csv.find((l) => l.includes(unrecoverable.returnId))!.split(',');
      expect(un.notRecoverableReason).toMatch(/evidence/);
      expect(unRow[header.indexOf('not_recoverable')]).toBe(un.notRecoverableReason);
      expect((await detail(t, awaiting.returnId)).notRecoverableReason).toBeNull();
      expect(csv.find((l) => l.includes(awaiting.returnId))!.split(',')[header.indexOf('not_recoverable')]).toBe('');
    });

    it('tenant keys read; actions need an ops key (403); another tenant gets 404 for every case and action; no key is 401', async () => {
      const id = awaiting.returnId;
      const tenantKey = auth(t.apiKey);
      expect((await sys.http.get(`/ops/cases/${id}`, tenantKey)).status).toBe(200);
      const actions: [string, Record<string, unknown>][] = [
        ['retry', { reason: 'try again' }], ['cancel', { reason: 'customer withdrew' }], ['resolve', { reason: 'settled by phone' }], ['notes', { text: 'hello' }],
        ['supplier-decision', { supplierId: s1.id, decision: 'APPROVED', note: 'by phone' }], ['redeliver', { deliveryId: 'msg_00000000000000000000000000000000', reason: 'lost it' }],
      ];
      for (const [path, body] of actions) {
        expect([path, (await sys.http.post(`/ops/cases/${id}/${path}`, body, tenantKey)).status]).toEqual([path, 403]);
        expect([path, (await sys.http.post(`/ops/cases/${id}/${path}`, body, ops(other))).status]).toEqual([path, 404]);
        expect([path, (await sys.http.post(`/ops/cases/${id}/${path}`, body, auth(other.apiKey))).status]).toEqual([path, 404]);
        expect([path, (await sys.http.post(`/ops/cases/${id}/${path}`, body)).status]).toEqual([path, 401]);
      }
      for (const path of ['', '/timeline']) {
        expect((await sys.http.get(`/ops/cases/${id}${path}`, ops(other))).status).toBe(404);
        expect((await sys.http.get(`/ops/cases/${id}${path}`, auth(other.apiKey))).status).toBe(404);
      }
      expect((await sys.http.post('/ops/batch/preview', { action: 'RESOLVE', filter: {} }, tenantKey)).status).toBe(403);
      expect((await sys.http.post('/ops/batch', { action: 'RESOLVE', filter: {}, reason: 'bulk close', expectedCount: 0 }, { headers: { ...tenantKey.headers, 'idempotency-key': 'b' } })).status).toBe(403);
      const rows = await sys.sql(`SELECT * FROM ops_audit WHERE return_id = $1`, [id]);
      expect(rows).toEqual([]);
      // bad bodies name their fields
      const bad = await sys.http.post(`/ops/cases/${id}/retry`, { reason: '', extra: 1 }, ops(t));
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.data)).toEqual(expect.arrayContaining(['reason', 'extra']));
    });

    it('adds notes, audited with who and why, shown on the timeline', async () => {
      const res = await sys.http.post(`/ops/cases/${awaiting.returnId}/notes`, { text: 'Called the supplier; answer tomorrow.' }, withKey(t, 'note-1'));
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({ action: 'NOTE', status: 'RECORDED', replayed: false, actor: expect.stringMatching(/^Ana <ops_[0-9a-f]{12}>$/) });
      const again = await sys.http.post(`/ops/cases/${awaiting.returnId}/notes`, { text: 'Called the supplier; answer tomorrow.' }, withKey(t, 'note-1'));
      expect(again.data).toMatchObject({ actionId: res.data.actionId, replayed: true });
      const reused = await sys.http.post(`/ops/cases/${escalated.returnId}/notes`, { text: 'other' }, withKey(t, 'note-1'));
      expect(reused.status).toBe(409);
      const audit = await sys.sql<{ actor: string; reason: string; action: string }>(`SELECT actor, reason, action FROM ops_audit WHERE return_id = $1`, [awaiting.returnId]);
      expect(audit).toEqual([{ actor: res.data.actor, reason: 'Called the supplier; answer tomorrow.', action: 'NOTE' }]);
      const d = await detail(t, awaiting.returnId);
      expect(d.timeline.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'note', data: expect.objectContaining({ reason: 'Called the supplier; answer tomorrow.', actor: res.data.actor }) })]));
    });

    it('redelivers a webhook with the same webhook-id', async () => {
      const d = await detail(t, awaiting.returnId);
      const delivery = d.deliveries[0];
      const before = sys.supplier.requests.filter((r) => r.headers['webhook-id'] === delivery.deliveryId).length;
      expect(before).toBe(1);
      const res = await sys.http.post(`/ops/cases/${awaiting.returnId}/redeliver`, { deliveryId: delivery.deliveryId, reason: 'supplier lost the request' }, ops(t));
      expect(res.status).toBe(202);
      expect(res.data).toMatchObject({ action: 'REDELIVER', status: 'REQUESTED' });
      await waitFor(() => sys.supplier.requests.filter((r) => r.headers['webhook-id'] === delivery.deliveryId).length === 2, { timeoutMs: 20_000, message: 'redelivery' });
      expect((await sys.http.post(`/ops/cases/${awaiting.returnId}/redeliver`, { deliveryId: 'msg_ffffffffffffffffffffffffffffffff', reason: 'nope' }, ops(t))).status).toBe(404);
      expect((await sys.http.post(`/ops/cases/${awaiting.returnId}/redeliver`, { deliveryId: (await detail(t, escalated.returnId)).deliveries[0].deliveryId, reason: 'wrong case' }, ops(t))).status).toBe(404);
    });

    it('records a supplier decision by hand (via OPS); a different second decision is 409', async () => {
      const res = await sys.http.post(`/ops/cases/${unrecoverable.returnId}/supplier-decision`, { supplierId: s1.id, decision: 'APPROVED', amountMinor: 1000, note: 'confirmed by phone' }, ops(t));
      expect(res.status).toBe(202);
      expect(res.data).toMatchObject({ action: 'SUPPLIER_DECISION', status: 'RECORDED' });
      const [ans] = await sys.sql<{ answer: { decision: string; amountMinor: number } }>(
        `SELECT a.answer FROM supplier_answers a JOIN supplier_requests r ON r.id = a.request_id WHERE r.return_id = $1`, [unrecoverable.returnId]);
      expect(ans.answer).toEqual({ decision: 'APPROVED', amountMinor: 1000 });
      const done = await waitForState(sys, t, unrecoverable.returnId, 'COMPLETED'); // refund paid: nothing left in flight at the store
      expect(done.amounts.supplierCreditGrantedMinor).toBe(1000);
      const conflict = await sys.http.post(`/ops/cases/${unrecoverable.returnId}/supplier-decision`, { supplierId: s1.id, decision: 'REJECTED', reason: 'changed mind', note: 'again' }, ops(t));
      expect(conflict.status).toBe(409);
      expect((await sys.http.post(`/ops/cases/${unrecoverable.returnId}/supplier-decision`, { supplierId: s2.id, decision: 'APPROVED', note: 'by phone' }, ops(t))).status).toBe(404);
    });

    it('cancels a case (timers stop) and resolves another by hand; an action that does not apply is 409', async () => {
      const cancel = await sys.http.post(`/ops/cases/${awaiting.returnId}/cancel`, { reason: 'customer withdrew the claim' }, ops(t));
      expect(cancel.status).toBe(202);
      await waitForState(sys, t, awaiting.returnId, 'CANCELLED');
      const d = await detail(t, awaiting.returnId);
      expect(d.currentStep.deadlines.find((x: { timer: string }) => x.timer === `SUPPLIER_SLA:${s1.id}`).status).toBe('CANCELLED');
      expect(d.availableActions).toEqual(['NOTE']);
      expect(d.timeline.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'ops_action', data: expect.objectContaining({ action: 'CANCEL', reason: 'customer withdrew the claim' }) })]));
      // Compensation: the supplier is told, by a signed webhook, that its open request is withdrawn.
      const requestId = d.saga?.claims?.[0]?.requestId ?? (await sys.sql<{ id: string }>(`SELECT id FROM supplier_requests WHERE return_id = $1`, [awaiting.returnId]))[0].id;
      const withdrawn = await waitFor(() => sys.supplier.requests.find((r) => (r.json as { type?: string; data?: { requestId?: string } })?.type === 'rma.withdrawn'
        && (r.json as { data: { requestId: string } }).data.requestId === requestId), { timeoutMs: 20_000, message: 'rma.withdrawn webhook' });
      sys.supplier.secret = s1.signingSecret; // the receiver verifies with the last linked supplier's secret
      expect(signedPayload(sys, withdrawn as unknown as { body: string; headers: Record<string, string> })).toMatchObject({ type: 'rma.withdrawn', data: { requestId } });
      expect((withdrawn.json as { data: { reason: string } }).data.reason).toBe('customer withdrew the claim');
      const late = await sys.http.post(`/ops/cases/${awaiting.returnId}/resolve`, { reason: 'too late' }, ops(t));
      expect(late.status).toBe(409);
      expect(late.data.state).toBe('CANCELLED');

      // The same action twice at once, without a key: one is done, the other is its replay.
      const [a, b] = await Promise.all([1, 2].map(() => sys.http.post(`/ops/cases/${escalated.returnId}/resolve`, { reason: 'supplier credit written off', outcome: 'absorbed' }, ops(t))));
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.data.actionId).toBe(b.data.actionId);
      expect([a.data.replayed, b.data.replayed].sort()).toEqual([false, true]);
      await waitForState(sys, t, escalated.returnId, 'RESOLVED');
      const msgs = await sys.sql(`SELECT * FROM ops_audit WHERE return_id = $1 AND action = 'RESOLVE'`, [escalated.returnId]);
      expect(msgs).toHaveLength(1);
      expect((await list(t, 'open=false')).items.map((i) => i.returnId)).toEqual(expect.arrayContaining([awaiting.returnId, escalated.returnId]));
    });
  });

  it('retries a permanently failed refund: one retry, one refund, audited; the same key replays', async () => {
    const t = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const s = await linkSupplier(sys, t);
    sys.shop.failNext(1, 401); // the store refuses our credentials once: a permanent failure
    const { returnId, order } = await report(t, [s]);
    const esc = await waitForState(sys, t, returnId, 'ESCALATED');
    expect(esc.saga.escalation).toMatch(/refund failed/);
    const before = await detail(t, returnId);
    expect(before.availableActions).toContain('RETRY');
    expect(before.timeline.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'refund', data: expect.objectContaining({ status: 'FAILED' }) })]));

    const res = await sys.http.post(`/ops/cases/${returnId}/retry`, { reason: 'store credentials fixed' }, withKey(t, 'retry-1'));
    expect(res.status).toBe(202);
    expect(res.data).toMatchObject({ action: 'RETRY', status: 'REQUESTED', replayed: false, sagaId: before.sagaId });
    const replay = await sys.http.post(`/ops/cases/${returnId}/retry`, { reason: 'store credentials fixed' }, withKey(t, 'retry-1'));
    expect(replay.data).toMatchObject({ actionId: res.data.actionId, replayed: true });

    const after = await waitForState(sys, t, returnId, 'AWAITING_RECOVERY');
    expect(after.amounts.refundedMinor).toBe(2 * 1999 + 495);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(1);
    const audit = await sys.sql<{ action: string; state_before: string; idempotency_key: string }>(`SELECT action, state_before, idempotency_key FROM ops_audit WHERE return_id = $1`, [returnId]);
    expect(audit).toEqual([{ action: 'RETRY', state_before: 'ESCALATED', idempotency_key: 'retry-1' }]);
    const transitions = await sys.sql(`SELECT * FROM saga_transitions t JOIN sagas s ON s.id = t.saga_id WHERE s.return_id = $1 AND t.cause LIKE 'OpsRetry%'`, [returnId]);
    expect(transitions).toHaveLength(1);
    expect((await sys.http.post(`/ops/cases/${returnId}/retry`, { reason: 'again' }, ops(t))).status).toBe(409);
  });

  it('runs a batch action by filter after a preview count; a stale count is refused; the same key does nothing twice', async () => {
    const t = await createTenant(sys);
    const s = await linkSupplier(sys, t);
    const a = await report(t, [s]);
    const b = await report(t, [s]);
    await waitForState(sys, t, a.returnId, 'AWAITING_SUPPLIER');
    await waitForState(sys, t, b.returnId, 'AWAITING_SUPPLIER');
    const filter = { state: ['AWAITING_SUPPLIER'] };
    const preview = await sys.http.post('/ops/batch/preview', { action: 'RESOLVE', filter }, ops(t));
    expect(preview.status).toBe(200);
    expect(preview.data).toMatchObject({ action: 'RESOLVE', matched: 2, applicable: 2, byState: { AWAITING_SUPPLIER: 2 } });
    expect(preview.data.returnIds.sort()).toEqual([a.returnId, b.returnId].sort());
    expect((await sys.http.post('/ops/batch/preview', { action: 'RETRY', filter }, ops(t))).data).toMatchObject({ matched: 2, applicable: 0 });

    expect((await sys.http.post('/ops/batch', { action: 'RESOLVE', filter, reason: 'bulk close', expectedCount: 2 }, ops(t))).status).toBe(400); // no key
    const stale = await sys.http.post('/ops/batch', { action: 'RESOLVE', filter, reason: 'bulk close', expectedCount: 3 }, withKey(t, 'batch-1'));
    expect(stale.status).toBe(409);
    expect(stale.data.applicable).toBe(2);
    const run = await sys.http.post('/ops/batch', { action: 'RESOLVE', filter, reason: 'bulk close', expectedCount: 2 }, withKey(t, 'batch-1'));
    expect(run.status).toBe(202);
    expect(run.data).toMatchObject({ action: 'RESOLVE', requested: 2, skipped: [], replayed: false });
    await waitForState(sys, t, a.returnId, 'RESOLVED');
    await waitForState(sys, t, b.returnId, 'RESOLVED');
    const again = await sys.http.post('/ops/batch', { action: 'RESOLVE', filter, reason: 'bulk close', expectedCount: 2 }, withKey(t, 'batch-1'));
    expect(again.data).toMatchObject({ batchId: run.data.batchId, requested: 2, replayed: true });
    const audit = await sys.sql<{ batch_id: string }>(`SELECT batch_id FROM ops_audit WHERE tenant_id = $1`, [t.tenantId]);
    expect(audit).toHaveLength(2);
    expect(new Set(audit.map((x) => x.batch_id))).toEqual(new Set([run.data.batchId]));
  });

  it('streams saga changes live (SSE), to the tenant only', async () => {
    const t = await createTenant(sys);
    const other = await createTenant(sys);
    const s = await linkSupplier(sys, t);
    const mine = await SseClient.open(`${sys.apiUrl}/ops/stream`, t.opsApiKey);
    const theirs = await SseClient.open(`${sys.apiUrl}/ops/stream`, other.opsApiKey);
    try {
      expect(mine.status).toBe(200);
      await waitFor(() => mine.events.find((e) => e.event === 'hello'));
      const { returnId } = await report(t, [s]);
      const ev = await waitFor(() => mine.events.find((e) => e.event === 'case' && e.data.returnId === returnId && e.data.to === 'AWAITING_SUPPLIER'), { timeoutMs: 20_000 });
      expect(ev.data).toMatchObject({ eventType: 'DAMAGED', from: 'RECEIVED' });
      expect(theirs.events.filter((e) => e.event === 'case')).toEqual([]);
      const metrics = (await sys.http.get('/metrics')).data as string;
      expect(metrics).toMatch(/ops_live_clients\{service="api"\} 2/);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('serves OpenAPI at /docs with the ops API', async () => {
    const json = await sys.http.get('/docs-json');
    expect(json.status).toBe(200);
    for (const p of ['/ops/cases', '/ops/cases/{returnId}', '/ops/cases/{returnId}/timeline', '/ops/cases/{returnId}/retry', '/ops/cases/{returnId}/cancel', '/ops/cases/{returnId}/resolve',
      '/ops/cases/{returnId}/notes', '/ops/cases/{returnId}/supplier-decision', '/ops/cases/{returnId}/redeliver', '/ops/batch/preview', '/ops/batch', '/ops/stream', '/ops/figures', '/ops/suppliers/health'])
      expect([p, !!json.data.paths[p]]).toEqual([p, true]);
    expect((await sys.http.get('/docs')).data).toMatch(/swagger-ui/);
  });

  it('headline figures and supplier endpoint health', async () => {
    const t = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const s = await linkSupplier(sys, t, {}, 'Figures Supplier');
    const { returnId } = await report(t, [s], { reason: 'Arrived broken' });
    await waitForState(sys, t, returnId, 'AWAITING_RECOVERY');
    const { payload } = await webhookFor(sys, (await detail(t, returnId)).externalOrderId);
    await answer(sys, s, payload.data.requestId, { decision: 'PARTIALLY_APPROVED', amountMinor: 1999 });
    await waitForState(sys, t, returnId, 'COMPLETED');
    const open = await report(t, [s], { reason: 'arrived broken ' });
    await waitForState(sys, t, open.returnId, 'AWAITING_RECOVERY');

    const f = (await sys.http.get('/ops/figures', ops(t))).data;
    expect(f.openByState).toEqual([{ eventType: 'DAMAGED', state: 'AWAITING_RECOVERY', count: 1 }]);
    expect(f.timeToResolution.closed).toBe(1);
    expect(f.timeToResolution.p50Seconds).toBeGreaterThanOrEqual(0);
    expect(f.timeToResolution.p90Seconds).toBeGreaterThanOrEqual(f.timeToResolution.p50Seconds);
    expect(f.refunds.byStatus).toEqual([{ status: 'SUCCEEDED', currency: 'EUR', count: 2, amountMinor: 2 * (2 * 1999 + 495) }]);
    expect(f.supplierRecovery).toEqual([{ supplierId: s.id, name: 'Figures Supplier', currency: 'EUR', requestedMinor: 4 * 1999, grantedMinor: 1999, recoveryRate: 0.25 }]);
    expect(f.returnsByEventType).toEqual([{ eventType: 'DAMAGED', count: 2 }]);
    expect(f.returnsByReason).toEqual([{ reason: 'arrived broken', count: 2 }]);
    expect(f.returnsBySupplier).toEqual([{ supplierId: s.id, name: 'Figures Supplier', count: 2 }]);

    const h = (await sys.http.get('/ops/suppliers/health', ops(t))).data;
    expect(h.suppliers).toEqual([expect.objectContaining({ supplierId: s.id, status: 'ACTIVE', health: 'HEALTHY', deliveries: { DELIVERED: 2 } })]);
    expect(h.suppliers[0].last24h).toMatchObject({ attempts: 2, succeeded: 2, failed: 0, successRate: 1 });
    expect(h.suppliers[0].recentAttempts).toHaveLength(2);
  });

  describe('observability', () => {
    it('every service serves /metrics with its series and /health (terminus: database and Kafka)', async () => {
      for (const [name, app] of Object.entries(sys.apps)) {
        const url = await app!.getUrl();
        const health = await sys.http.get(`${url}/health`);
        expect([name, health.status, health.data]).toEqual([name, 200, expect.objectContaining({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } })]);
        const m = (await sys.http.get(`${url}/metrics`)).data as string;
        for (const series of ['messages_consumed_total', 'messages_produced_total', 'outbox_lag_seconds', 'saga_transitions_total', 'webhook_attempts_total', 'refunds_total'])
          expect([name, m.includes(`# TYPE ${series}`)]).toEqual([name, true]);
      }
      const metricsOf = async (name: keyof System['apps']) => (await sys.http.get(`${await sys.apps[name]!.getUrl()}/metrics`)).data as string;
      expect(await metricsOf('api')).toMatch(/messages_produced_total\{topic="returns.reported",service="api"\} [1-9]/);
      expect(await metricsOf('orchestrator')).toMatch(/saga_transitions_total\{event_type="DAMAGED",from="RECEIVED",to="AWAITING_SUPPLIER",service="orchestrator"\} [1-9]/);
      expect(await metricsOf('orchestrator')).toMatch(/messages_consumed_total\{topic="returns.reported",result="ok",service="orchestrator"\} [1-9]/);
      expect(await metricsOf('suppliers')).toMatch(/webhook_attempts_total\{result="delivered",service="suppliers"\} [1-9]/);
      expect(await metricsOf('refunds')).toMatch(/refunds_total\{outcome="succeeded",service="refunds"\} [1-9]/);
      expect(await metricsOf('refunds')).toMatch(/refunds_total\{outcome="rejected",service="refunds"\} [1-9]/);
      expect(await metricsOf('api')).toMatch(/ops_actions_total\{action="RETRY",service="api"\} [1-9]/);
    });
  });

  describe('stuck detection (moves the clock: keep last)', () => {
    it('a case past its step\'s expected time shows in the stuck view and raises one alert (log, metric, SSE); it clears when the case moves', async () => {
      const t = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
      const s = await linkSupplier(sys, t);
      await sys.stopService('refunds'); // the refund command waits on Kafka: REFUNDING stays
      const { returnId } = await report(t, [s]);
      await waitForState(sys, t, returnId, 'REFUNDING');
      const detector = sys.apps.api!.get(StuckDetector);
      const stream = await SseClient.open(`${sys.apiUrl}/ops/stream`, t.opsApiKey);
      const alertRows = () => sys.sql<{ state: string; cleared_at: Date | null }>(`SELECT state, cleared_at FROM ops_alerts WHERE return_id = $1`, [returnId]);
      try {
        await detector.scan();
        expect(await alertRows()).toEqual([]);
        expect(ids(await list(t, 'stuck=true'))).toEqual([]);

        sys.clock.advance(16 * MIN); // DAMAGED expects REFUNDING to last at most 15 min
        const stuck = await list(t, 'stuck=true');
        expect(ids(stuck)).toEqual([returnId]);
        expect(stuck.items[0].stuckReason).toMatch(/in REFUNDING for 16 min \(expected at most 15 min\)/);
        expect(ids(await list(t, 'stuck=false'))).toEqual([]);

        // The periodic job may get there first (its slot is due now); either way: one alert per stay in a state.
        await detector.scan();
        await detector.scan();
        expect(await alertRows()).toEqual([{ state: 'REFUNDING', cleared_at: null }]);
        const alerts = (await sys.http.get('/ops/alerts', ops(t))).data.items;
        expect(alerts).toEqual([expect.objectContaining({ kind: 'STUCK', returnId, state: 'REFUNDING' })]);
        await waitFor(() => stream.events.find((e) => e.event === 'alert' && e.data.returnId === returnId && !e.data.cleared));
        const metrics = (await sys.http.get('/metrics')).data as string;
        expect(metrics).toMatch(/ops_alerts_total\{kind="STUCK",service="api"\} [1-9]/);
        expect(metrics).toMatch(/ops_stuck_cases\{service="api"\} [1-9]/);
        expect((await detail(t, returnId)).alerts).toEqual([expect.objectContaining({ kind: 'STUCK', clearedAt: null })]);

        await sys.startService('refunds');
        await waitForState(sys, t, returnId, 'AWAITING_RECOVERY');
        await detector.scan();
        expect((await sys.http.get('/ops/alerts', ops(t))).data.items).toEqual([]);
        await waitFor(() => stream.events.find((e) => e.event === 'alert' && e.data.returnId === returnId && e.data.cleared), { message: `cleared alert on the stream: ${JSON.stringify(stream.events)}` });
      } finally {
        stream.close();
      }
    });

    it('a deadline that did not fire makes a case stuck; the periodic job (on the clock) finds it', async () => {
      const t = await createTenant(sys);
      const s = await linkSupplier(sys, t, { slaHours: 48 });
      const { returnId } = await report(t, [s]);
      await waitForState(sys, t, returnId, 'AWAITING_SUPPLIER');
      await sys.stopService('orchestrator'); // nobody fires the SLA deadline
      try {
        sys.clock.advance(2 * DAY + 10 * MIN); // past the 48 h deadline and the grace period
        const [c] = (await list(t, 'stuck=true')).items;
        expect(c.returnId).toBe(returnId);
        expect(c.stuckReason).toMatch(new RegExp(`deadline SUPPLIER_SLA:${s.id} overdue since`));
        expect((await detail(t, returnId)).currentStep.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ timer: `SUPPLIER_SLA:${s.id}`, overdue: true })]));
        await sys.runDueTasks(); // the api's periodic scan is due after the clock moved
        const [row] = await sys.sql<{ reason: string }>(`SELECT reason FROM ops_alerts WHERE return_id = $1`, [returnId]);
        expect(row.reason).toMatch(/deadline SUPPLIER_SLA/);
      } finally {
        await sys.startService('orchestrator');
      }
      await sys.runDueTasks(); // the orchestrator fires the late deadline: a reminder, a fresh deadline
      await waitFor(async () => !(await list(t, 'stuck=true')).items.length, { timeoutMs: 20_000, message: 'case no longer stuck' });
    });
  });
});
