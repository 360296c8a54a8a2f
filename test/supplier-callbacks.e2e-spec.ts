import * as fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { SupplierReceiver } from '@app/testing';
import { auth, createTenant, LinkedSupplier, Tenant, waitForState, fieldsOf } from './support/scenario';
import { callbackId, linkTo, reportReturn } from './support/supplier-helpers';
import { startSystem, System, waitFor } from './support/system';

interface OpenRequest {
  requestId: string;
  status: string;
  type: string;
  data: { requestId: string; supplierId: string; amount: { amountMinor: number }; answerUrl: string };
}

describe('Supplier callbacks: authenticated per link, idempotent, strict, with a pull API', () => {
  let sys: System;
  let receiver: SupplierReceiver;
  beforeAll(async () => {
    sys = await startSystem();
    receiver = await new SupplierReceiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await sys?.stop();
  });

  /** A signed call, made the way a supplier would: the standardwebhooks library signs `id.timestamp.body`. */
  function signed(s: { id: string }, secret: string, method: 'get' | 'post', path: string, body?: unknown, opts: { id?: string; at?: Date; supplierId?: string } = {}) {
    const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const id = opts.id ?? callbackId();
    const at = opts.at ?? sys.clock.now();
    const headers: Record<string, string> = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, raw),
      'x-supplier-id': opts.supplierId ?? s.id,
    };
    if (method === 'get') return sys.http.get(path, { headers });
    return sys.http.post(path, raw, { headers: { ...headers, 'content-type': 'application/json' }, transformRequest: [(d) => d] });
  }

  const answerPath = (requestId: string) => `/supplier-api/requests/${requestId}/answer`;

  async function openRequests(s: LinkedSupplier, query = 'status=open'): Promise<OpenRequest[]> {
    const res = await sys.http.get(`/supplier-api/requests?${query}`, auth(s.callbackApiKey));
    expect(res.status).toBe(200);
    return res.data.items;
  }

  /** A return whose request has reached the supplier; resolves with its request id (found through the pull API). */
  async function requestFor(t: Tenant, s: LinkedSupplier) {
    const before = new Set((await openRequests(s)).map((r) => r.requestId));
    const returnId = await reportReturn(sys, t, s);
    const req = await waitFor(async () => (await openRequests(s)).find((r) => !before.has(r.requestId)), { timeoutMs: 20_000, message: 'request in the pull API' });
    await waitForState(sys, t, returnId, 'AWAITING_SUPPLIER');
    return { returnId, requestId: req!.requestId };
  }

  const answersOf = (requestId: string) => sys.sql<{ answer: Record<string, unknown> }>(`SELECT answer FROM supplier_answers WHERE request_id = $1`, [requestId]);

  describe('with the callback API key', () => {
    it('the same answer twice is one effect and 200 both times; a different one is 409', async () => {
      const t = await createTenant(sys);
      const s = await linkTo(sys, t, receiver);
      const { returnId, requestId } = await requestFor(t, s);
      const body = { decision: 'APPROVED', amountMinor: 3998, currency: 'EUR', rmaNumber: 'RMA-7' };
      const first = await sys.http.post(answerPath(requestId), body, auth(s.callbackApiKey));
      expect(first.status).toBe(200);
      expect(first.data).toMatchObject({ requestId, status: 'recorded', duplicate: false });
      const again = await sys.http.post(answerPath(requestId), { ...body }, auth(s.callbackApiKey));
      expect(again.status).toBe(200);
      expect(again.data).toMatchObject({ requestId, status: 'recorded', duplicate: true, answeredAt: first.data.answeredAt });
      const conflict = await sys.http.post(answerPath(requestId), { ...body, amountMinor: 100, decision: 'PARTIALLY_APPROVED' }, auth(s.callbackApiKey));
      expect(conflict.status).toBe(409);
      expect(conflict.data).toMatchObject({ code: 'CONFLICT', status: 409, answeredAt: first.data.answeredAt });

      await waitForState(sys, t, returnId, 'COMPLETED');
      expect(await answersOf(requestId)).toHaveLength(1);
      const transitions = await sys.sql(`SELECT to_state FROM saga_transitions tr JOIN sagas g ON g.id = tr.saga_id WHERE g.return_id = $1 AND to_state = 'REFUNDING' AND from_state <> 'REFUNDING'`, [returnId]);
      expect(transitions).toHaveLength(1);
      const refunds = await sys.sql(`SELECT id FROM refunds WHERE return_id = $1`, [returnId]);
      expect(refunds).toHaveLength(1);
    });

    it("another tenant's or another supplier's request is 404; no or wrong key is 401", async () => {
      const t = await createTenant(sys);
      const s = await linkTo(sys, t, receiver);
      const sibling = await linkTo(sys, t, receiver, 'Sibling');
      const stranger = await linkTo(sys, await createTenant(sys), receiver, 'Stranger');
      const { requestId } = await requestFor(t, s);
      const body = { decision: 'REJECTED', reason: 'no' };
      expect((await sys.http.post(answerPath(requestId), body, auth(stranger.callbackApiKey))).status).toBe(404);
      expect((await sys.http.post(answerPath(requestId), body, auth(sibling.callbackApiKey))).status).toBe(404);
      const none = await sys.http.post(answerPath(requestId), body);
      expect(none.status).toBe(401);
      expect(none.data.reason).toBe('missing_credentials');
      const tenantKey = await sys.http.post(answerPath(requestId), body, auth(t.apiKey));
      expect(tenantKey.status).toBe(401);
      expect(tenantKey.data.reason).toBe('bad_key');
      expect((await sys.http.post(answerPath(requestId), body, auth(`${s.callbackApiKey.slice(0, -2)}xx`))).status).toBe(401);
      expect(await answersOf(requestId)).toHaveLength(0);
      // and the supplier's own key still works
      expect((await sys.http.post(answerPath(requestId), body, auth(s.callbackApiKey))).status).toBe(200);
    });

    it('rejects unknown and invalid fields with 400 naming each one, and stores nothing', async () => {
      const t = await createTenant(sys);
      const s = await linkTo(sys, t, receiver);
      const { returnId, requestId } = await requestFor(t, s);
      const cases: [Record<string, unknown>, string[]][] = [
        [{ decision: 'APPROVED', creditCard: '4111 1111 1111 1111' }, ['creditCard']],
        [{ decision: 'APPROVED', amountMinor: 10, extra: { nested: true }, note: 'x' }, ['extra', 'note']],
        [{ decision: 'MAYBE' }, ['decision']],
        [{ decision: 'REJECTED' }, ['reason']],
        [{ decision: 'PARTIALLY_APPROVED' }, ['amountMinor']],
        [{ decision: 'APPROVED', amountMinor: -1, currency: 'EURO', returnLabelUrl: 'javascript:alert(1)' }, ['amountMinor', 'currency', 'returnLabelUrl']],
        [{ decision: 'REPLACEMENT_SHIPPED' }, ['trackingNumber']],
      ];
      for (const [body, fields] of cases) {
        const res = await sys.http.post(answerPath(requestId), body, auth(s.callbackApiKey));
        expect(res.status).toBe(400);
        expect(fieldsOf(res.data)).toEqual(expect.arrayContaining(fields));
      }
      expect((await sys.http.post(answerPath('not-a-uuid'), { decision: 'APPROVED' }, auth(s.callbackApiKey))).status).toBe(400);
      expect(await answersOf(requestId)).toHaveLength(0);
      expect((await openRequests(s)).map((r) => r.requestId)).toContain(requestId);
      expect((await sys.http.get(`/returns/${returnId}`, auth(t.apiKey))).data.state).toBe('AWAITING_SUPPLIER');
      // an accepted answer keeps only the known fields
      expect((await sys.http.post(answerPath(requestId), { decision: 'APPROVED', rmaNumber: 'R1' }, auth(s.callbackApiKey))).status).toBe(200);
      expect((await answersOf(requestId))[0].answer).toEqual({ decision: 'APPROVED', rmaNumber: 'R1' });
    });
  });

  describe('signed like our webhooks (Standard Webhooks, the link secret)', () => {
    let t: Tenant;
    let s: LinkedSupplier;
    beforeAll(async () => {
      t = await createTenant(sys);
      s = await linkTo(sys, t, receiver);
    });

    it('accepts a signed answer, and the same webhook-id again is refused as a replay', async () => {
      const { requestId } = await requestFor(t, s);
      const id = callbackId();
      const ok = await signed(s, s.signingSecret, 'post', answerPath(requestId), { decision: 'NEEDS_EVIDENCE', reason: 'need a photo of the box' }, { id });
      expect(ok.status).toBe(200);
      const replay = await signed(s, s.signingSecret, 'post', answerPath(requestId), { decision: 'NEEDS_EVIDENCE', reason: 'need a photo of the box' }, { id });
      expect(replay.status).toBe(401);
      expect(replay.data).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, reason: 'replayed' });
      // a retry with a fresh id is fine: answers are idempotent
      const retry = await signed(s, s.signingSecret, 'post', answerPath(requestId), { decision: 'NEEDS_EVIDENCE', reason: 'need a photo of the box' });
      expect(retry.status).toBe(200);
      expect(retry.data.duplicate).toBe(true);
      const seen = await sys.sql(`SELECT webhook_id FROM supplier_callback_ids WHERE supplier_id = $1 AND webhook_id = $2`, [s.id, id]);
      expect(seen).toHaveLength(1);
    });

    it('5-minute tolerance: 4 minutes old is fine, 6 minutes old or ahead is not', async () => {
      const { requestId } = await requestFor(t, s);
      const body = { decision: 'REJECTED', reason: 'outside our policy' };
      const now = sys.clock.now().getTime();
      const stale = await signed(s, s.signingSecret, 'post', answerPath(requestId), body, { at: new Date(now - 6 * 60_000) });
      expect(stale.status).toBe(401);
      expect(stale.data.reason).toBe('stale_timestamp');
      const future = await signed(s, s.signingSecret, 'post', answerPath(requestId), body, { at: new Date(now + 6 * 60_000) });
      expect(future.data.reason).toBe('stale_timestamp');
      expect(await answersOf(requestId)).toHaveLength(0);
      const fine = await signed(s, s.signingSecret, 'post', answerPath(requestId), body, { at: new Date(now - 4 * 60_000) });
      expect(fine.status).toBe(200);
    });

    it('refuses a wrong secret, a tampered body, another link\'s id, a missing header', async () => {
      const { requestId } = await requestFor(t, s);
      const body = { decision: 'REJECTED', reason: 'no' };
      const wrong = await signed(s, SupplierReceiver.randomSecret(), 'post', answerPath(requestId), body);
      expect(wrong.data.reason).toBe('bad_signature');
      // signed one body, sent another
      const id = callbackId();
      const at = sys.clock.now();
      const sig = new Webhook(s.signingSecret).sign(id, at, JSON.stringify(body));
      const tampered = await sys.http.post(answerPath(requestId), { decision: 'APPROVED' }, {
        headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': sig, 'x-supplier-id': s.id },
      });
      expect(tampered.status).toBe(401);
      expect(tampered.data.reason).toBe('bad_signature');
      const other = await linkTo(sys, t, receiver, 'Other link');
      expect((await signed(s, s.signingSecret, 'post', answerPath(requestId), body, { supplierId: other.id })).data.reason).toBe('bad_signature');
      expect((await signed(s, s.signingSecret, 'post', answerPath(requestId), body, { supplierId: 'nope' })).data.reason).toBe('unknown_supplier');
      const noTimestamp = await sys.http.post(answerPath(requestId), body, { headers: { 'webhook-id': callbackId(), 'webhook-signature': sig, 'x-supplier-id': s.id } });
      expect(noTimestamp.data.reason).toBe('missing_headers');
      // a valid API key does not rescue a bad signature
      const both = await sys.http.post(answerPath(requestId), body, { headers: { ...auth(s.callbackApiKey).headers, 'webhook-id': callbackId(), 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': 'v1,AAAA', 'x-supplier-id': s.id } });
      expect(both.status).toBe(401);
      expect(await answersOf(requestId)).toHaveLength(0);
    });

    it('after a rotation both secrets verify during the overlap, only the new one after it', async () => {
      const link = await linkTo(sys, t, receiver, 'Rotating');
      const first = await requestFor(t, link);
      const second = await requestFor(t, link);
      const rotated = await sys.http.post(`/suppliers/${link.id}/secret/rotate`, { overlapHours: 2 }, auth(t.opsApiKey));
      expect(rotated.status).toBe(201);
      const fresh = rotated.data.signingSecret;
      expect((await signed(link, link.signingSecret, 'post', answerPath(first.requestId), { decision: 'REJECTED', reason: 'old secret' })).status).toBe(200);
      expect((await signed(link, fresh, 'get', '/supplier-api/requests')).status).toBe(200);
      sys.clock.advance(2 * 3_600_000 + 60_000);
      const old = await signed(link, link.signingSecret, 'post', answerPath(second.requestId), { decision: 'REJECTED', reason: 'old secret' });
      expect(old.status).toBe(401);
      expect(old.data.reason).toBe('bad_signature');
      expect((await signed(link, fresh, 'post', answerPath(second.requestId), { decision: 'REJECTED', reason: 'new secret' })).status).toBe(200);
    });

    it('property-based over HTTP: 150 forged requests → 0 accepted, 0 answers stored; genuine ones all pass', async () => {
      const { requestId } = await requestFor(t, s);
      const body = JSON.stringify({ decision: 'APPROVED', amountMinor: 3998, currency: 'EUR' });
      let accepted = 0;
      await fc.assert(fc.asyncProperty(
        fc.constantFrom('body', 'id', 'timestamp', 'signature', 'secret', 'supplier'),
        fc.string({ minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 299 }),
        async (what, junk, delta) => {
          const id = callbackId();
          const at = sys.clock.now();
          let headers: Record<string, string> = {
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': new Webhook(s.signingSecret).sign(id, at, body),
            'x-supplier-id': s.id,
            'content-type': 'application/json',
          };
          let sent = body;
          if (what === 'body') sent = body.replace('3998', `3998${junk.length}`);
          if (what === 'id') headers = { ...headers, 'webhook-id': `${id}x${junk.length}` };
          if (what === 'timestamp') headers = { ...headers, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000) - delta) };
          if (what === 'signature') headers = { ...headers, 'webhook-signature': `v1,${Buffer.from(junk).toString('base64')}${headers['webhook-signature'].slice(3 + Buffer.from(junk).toString('base64').length)}` };
          if (what === 'secret') headers = { ...headers, 'webhook-signature': new Webhook(SupplierReceiver.randomSecret()).sign(id, at, body) };
          if (what === 'supplier') headers = { ...headers, 'x-supplier-id': (await linkTo(sys, t, receiver, `Decoy ${junk}`)).id };
          const res = await sys.http.post(answerPath(requestId), sent, { headers, transformRequest: [(d) => d] });
          if (res.status < 300) accepted++;
          return res.status === 401;
        },
      ), { numRuns: 150 });
      expect(accepted).toBe(0);
      expect(await answersOf(requestId)).toHaveLength(0);
      for (let i = 0; i < 5; i++) {
        const ok = await signed(s, s.signingSecret, 'post', answerPath(requestId), body);
        expect(ok.status).toBe(200);
      }
      expect(await answersOf(requestId)).toHaveLength(1);
    });
  });

  describe('pull API', () => {
    it('lists only my open requests, then I answer them', async () => {
      const t = await createTenant(sys);
      const mine = await linkTo(sys, t, receiver, 'Mine');
      const sibling = await linkTo(sys, t, receiver, 'Sibling');
      const strangerTenant = await createTenant(sys);
      const stranger = await linkTo(sys, strangerTenant, receiver, 'Stranger');
      const a = await requestFor(t, mine);
      const b = await requestFor(t, mine);
      const c = await requestFor(t, sibling);
      const d = await requestFor(strangerTenant, stranger);

      const open = await openRequests(mine);
      expect(open.map((r) => r.requestId)).toEqual([a.requestId, b.requestId]);
      expect(open[0]).toMatchObject({ status: 'open', type: 'rma.credit_requested', data: { requestId: a.requestId, supplierId: mine.id, amount: { amountMinor: 3998 }, answerUrl: answerPath(a.requestId) } });
      expect((await openRequests(sibling)).map((r) => r.requestId)).toEqual([c.requestId]);
      expect((await openRequests(stranger)).map((r) => r.requestId)).toEqual([d.requestId]);

      // answer through the pull API's own answerUrl, signed this time
      expect((await signed(mine, mine.signingSecret, 'post', open[0].data.answerUrl, { decision: 'APPROVED' })).status).toBe(200);
      expect((await openRequests(mine)).map((r) => r.requestId)).toEqual([b.requestId]);
      expect((await openRequests(mine, 'status=answered')).map((r) => r.requestId)).toEqual([a.requestId]);
      const all = await openRequests(mine, 'status=all&limit=1');
      expect(all.map((r) => r.requestId)).toEqual([a.requestId]);
      const page1 = await sys.http.get('/supplier-api/requests?status=all&limit=1', auth(mine.callbackApiKey));
      const page2 = await sys.http.get(`/supplier-api/requests?status=all&limit=1&cursor=${page1.data.nextCursor}`, auth(mine.callbackApiKey));
      expect(page2.data.items.map((r: OpenRequest) => r.requestId)).toEqual([b.requestId]);
      expect(page2.data.nextCursor).toBeNull();

      // a signed GET works too (the body signed is empty)
      const signedList = await signed(mine, mine.signingSecret, 'get', '/supplier-api/requests?status=open');
      expect(signedList.status).toBe(200);
      expect(signedList.data.items.map((r: OpenRequest) => r.requestId)).toEqual([b.requestId]);

      for (const q of ['status=closed', 'limit=0', 'limit=101', 'foo=1', 'cursor=bm9wZQ']) {
        expect((await sys.http.get(`/supplier-api/requests?${q}`, auth(mine.callbackApiKey))).status).toBe(400);
      }
      expect((await sys.http.get('/supplier-api/requests')).status).toBe(401);
      expect((await sys.http.get('/supplier-api/requests', auth(t.apiKey))).status).toBe(401);
    });
  });
});
