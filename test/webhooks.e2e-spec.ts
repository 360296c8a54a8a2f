import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { RETRY_DELAYS_MS } from '@app/suppliers';
import { SupplierReceiver } from '@app/testing';
import { auth, createTenant, DAY, Tenant, waitForState, fieldsOf } from './support/scenario';
import {
  Delivery, advanceTo, atTime, attemptsOf, delivery, deliveryOf, linkTo, nextAttempt, reportReturn, waitForAttempts,
} from './support/supplier-helpers';
import { SseClient } from './support/sse';
import { startSystem, System, waitFor } from './support/system';
import { ssrfCases } from '../libs/platform/src/security/ssrf.fixtures';
import { writtenHost } from '@app/platform';

const TIMEOUT_MS = 1_000;
const HOUR = 3_600_000;

/** Every verifier we hand a supplier must accept our webhook (at the time it was signed). */
function verifyWith(secret: string, req: { body: string; headers: Record<string, string> }, at: Date) {
  return atTime(at, () => ({
    standardwebhooks: tryVerify(() => new StandardWebhook(secret).verify(req.body, req.headers)),
    svix: tryVerify(() => new SvixWebhook(secret).verify(req.body, req.headers)),
  }));
}
const tryVerify = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};
const signedAt = (req: { headers: Record<string, string> }) => new Date(Number(req.headers['webhook-timestamp']) * 1000);

describe('Supplier webhooks: signed, retried, logged, guarded', () => {
  let sys: System;
  let receiver: SupplierReceiver;
  beforeAll(async () => {
    // A short client timeout so the "receiver hangs" case takes a second, not 15.
    sys = await startSystem({ config: { suppliers: { WEBHOOK_TIMEOUT_MS: TIMEOUT_MS } } });
  });
  afterAll(async () => {
    await sys?.stop();
  });
  // Each test gets its own endpoint, so retries left over from one never meet another's scripted answers.
  beforeEach(async () => {
    receiver = await new SupplierReceiver().start();
  });
  afterEach(async () => {
    await receiver.stop();
  });

  it('signs every webhook so that both the standardwebhooks and the svix verifiers accept it', async () => {
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    expect(s.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const keyBytes = Buffer.from(s.signingSecret.slice('whsec_'.length), 'base64').length;
    expect(keyBytes).toBeGreaterThanOrEqual(24);
    expect(keyBytes).toBeLessThanOrEqual(64);

    const returnId = await reportReturn(sys, t, s);
    const [req] = await receiver.waitForRequests(1, 20_000);
    expect(req.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWith(s.signingSecret, req, signedAt(req))).toEqual({ standardwebhooks: true, svix: true });
    expect(verifyWith(SupplierReceiver.randomSecret(), req, signedAt(req))).toEqual({ standardwebhooks: false, svix: false });
    expect(verifyWith(s.signingSecret, { ...req, body: req.body.replace('"quantity":2', '"quantity":3') }, signedAt(req))).toEqual({ standardwebhooks: false, svix: false });
    const payload = JSON.parse(req.body);
    expect(payload).toMatchObject({ type: 'rma.credit_requested', data: { supplierId: s.id, kind: 'CREDIT', eventType: 'DAMAGED', amount: { amountMinor: 3998, currency: 'EUR', decimal: '39.98' } } });
    expect(payload.data.answerUrl).toBe(`${sys.apiUrl}/supplier-api/requests/${payload.data.requestId}/answer`);
    const d = await deliveryOf(sys, returnId);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED');
  });

  it('rotation: during the overlap both secrets sign; after it only the new one', async () => {
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const rotated = await sys.http.post(`/suppliers/${s.id}/secret/rotate`, { overlapHours: 1 }, auth(t.apiKey));
    expect(rotated.status).toBe(201);
    const fresh = rotated.data.signingSecret as string;
    expect(fresh).not.toBe(s.signingSecret);
    expect(new Date(rotated.data.previousSecretExpiresAt).getTime() - sys.clock.now().getTime()).toBeGreaterThan(59 * 60_000);

    await reportReturn(sys, t, s);
    const [during] = await receiver.waitForRequests(1, 20_000);
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWith(fresh, during, signedAt(during))).toEqual({ standardwebhooks: true, svix: true });
    expect(verifyWith(s.signingSecret, during, signedAt(during))).toEqual({ standardwebhooks: true, svix: true });

    sys.clock.advance(61 * 60_000);
    await reportReturn(sys, t, s);
    const [, after] = await receiver.waitForRequests(2, 20_000);
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verifyWith(fresh, after, signedAt(after))).toEqual({ standardwebhooks: true, svix: true });
    expect(verifyWith(s.signingSecret, after, signedAt(after))).toEqual({ standardwebhooks: false, svix: false });

    expect((await sys.http.post(`/suppliers/${s.id}/secret/rotate`, { overlapHours: 1, extra: 1 }, auth(t.apiKey))).status).toBe(400);
    const other = await createTenant(sys);
    expect((await sys.http.post(`/suppliers/${s.id}/secret/rotate`, {}, auth(other.apiKey))).status).toBe(404);
  });

  it('receiver answers 500, 500, hangs, 200: delivered once, 4 attempts logged with status, latency and excerpt', async () => {
    receiver.respondWith([{ status: 500, body: 'db down' }, { status: 500 }, { timeoutMs: Infinity }, { status: 200, body: { received: true } }]);
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const returnId = await reportReturn(sys, t, s);
    const d = await deliveryOf(sys, returnId);
    await waitForAttempts(sys, d.id, 1);
    await nextAttempt(sys, d.id);
    await nextAttempt(sys, d.id);
    await nextAttempt(sys, d.id);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED');

    const attempts = await attemptsOf(sys, d.id);
    expect(attempts.map((a) => a.status_code)).toEqual([500, 500, null, 200]);
    expect(attempts[0].response_excerpt).toBe('db down');
    expect(attempts[2].error).toBe(`timeout after ${TIMEOUT_MS} ms`);
    expect(attempts[2].latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(attempts[3].response_excerpt).toBe('{"received":true}');
    for (const a of attempts) expect(a.latency_ms).toBeGreaterThanOrEqual(0);
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.id]));
    // every attempt is freshly signed at its own time, and verifies at that time
    for (const r of receiver.requests) expect(verifyWith(s.signingSecret, r, signedAt(r))).toEqual({ standardwebhooks: true, svix: true });
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-timestamp'])).size).toBe(4);

    // the saga heard "delivered" once; nothing more is sent, however long we wait
    expect((await delivery(sys, d.id)).attempts).toBe(4);
    sys.clock.advance(3 * DAY);
    await sys.runDueTasks();
    expect(receiver.requests).toHaveLength(4);

    // ops see the same log through the API
    const detail = await sys.http.get(`/suppliers/${s.id}/deliveries/${d.id}`, auth(t.opsApiKey));
    expect(detail.status).toBe(200);
    expect(detail.data).toMatchObject({ id: d.id, status: 'DELIVERED', attemptCount: 4, type: 'rma.credit_requested' });
    expect(detail.data.attempts.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([500, 500, null, 200]);
    expect(detail.data.attempts[0]).toMatchObject({ responseExcerpt: 'db down', url: receiver.url('/webhooks') });
    expect(typeof detail.data.attempts[0].latencyMs).toBe('number');
    expect(detail.data.payload.data.requestId).toBe(d.request_id);
    const list = await sys.http.get(`/suppliers/${s.id}/deliveries?status=DELIVERED`, auth(t.apiKey));
    expect(list.data.items.map((i: { id: string }) => i.id)).toEqual([d.id]);
    const other = await createTenant(sys);
    expect((await sys.http.get(`/suppliers/${s.id}/deliveries/${d.id}`, auth(other.opsApiKey))).status).toBe(404);
    expect((await sys.http.get(`/suppliers/${s.id}/deliveries`, auth(other.apiKey))).status).toBe(404);
  });

  it('retries on the documented schedule with ±10% jitter, then gives up and the case escalates', async () => {
    receiver.defaultResponse = { status: 500 };
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const returnId = await reportReturn(sys, t, s);
    const d = await deliveryOf(sys, returnId);
    let attempts = await waitForAttempts(sys, d.id, 1);
    for (let n = 1; n < RETRY_DELAYS_MS.length; n++) {
      const base = RETRY_DELAYS_MS[n];
      const last = attempts[attempts.length - 1].at;
      const scheduled = (await delivery(sys, d.id)).next_attempt_at!;
      const wait = scheduled.getTime() - last.getTime();
      expect(wait).toBeGreaterThanOrEqual(base * 0.9 - 1);
      expect(wait).toBeLessThanOrEqual(base * 1.1 + 1);
      // not a moment early: just before the scheduled time nothing is sent
      advanceTo(sys, new Date(scheduled.getTime() - 500));
      await sys.runDueTasks();
      expect(await attemptsOf(sys, d.id)).toHaveLength(n);
      attempts = await nextAttempt(sys, d.id);
      expect(attempts).toHaveLength(n + 1);
    }
    const failed = (await waitFor(async () => {
      const x = await delivery(sys, d.id);
      return x.status === 'FAILED' ? x : undefined;
    })) as Delivery;
    expect(failed.attempts).toBe(8);
    expect(failed.next_attempt_at).toBeNull();
    expect(failed.last_error).toMatch(/gave up after 8 attempts: HTTP 500/);
    const total = attempts[7].at.getTime() - attempts[0].at.getTime();
    const documented = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0); // 27 h 35 min 5 s
    expect(total).toBeGreaterThanOrEqual(documented * 0.9);
    expect(total).toBeLessThanOrEqual(documented * 1.1 + 10_000);
    await waitForState(sys, t, returnId, 'ESCALATED');

    sys.clock.advance(2 * DAY);
    await sys.runDueTasks();
    expect(await attemptsOf(sys, d.id)).toHaveLength(8);
    expect(receiver.requests).toHaveLength(8);
  });

  it('honours Retry-After when it asks for longer than the schedule', async () => {
    receiver.respondWith([{ status: 503, headers: { 'retry-after': '600' } }]);
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const d = await deliveryOf(sys, await reportReturn(sys, t, s));
    const [first] = await waitForAttempts(sys, d.id, 1);
    const next = (await waitFor(async () => (await delivery(sys, d.id)).next_attempt_at)) as Date;
    expect(next.getTime() - first.at.getTime()).toBe(600_000);
    advanceTo(sys, new Date(first.at.getTime() + 10_000)); // the schedule alone would have retried after 5 s
    await sys.runDueTasks();
    expect(await attemptsOf(sys, d.id)).toHaveLength(1);
    await nextAttempt(sys, d.id);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED');
  });

  it('a 3xx is a failure and its Location is never followed', async () => {
    receiver.respondWith([{ status: 302, headers: { location: receiver.url('/elsewhere') } }, { status: 301, headers: { location: 'http://169.254.169.254/latest' } }]);
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const d = await deliveryOf(sys, await reportReturn(sys, t, s));
    await waitForAttempts(sys, d.id, 1);
    await nextAttempt(sys, d.id);
    await nextAttempt(sys, d.id);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED');
    expect((await attemptsOf(sys, d.id)).map((a) => a.status_code)).toEqual([302, 301, 200]);
    expect(receiver.requests.map((r) => r.path)).toEqual(['/webhooks', '/webhooks', '/webhooks']);
  });

  it('410 Gone disables the endpoint at once; later webhooks wait; ops re-enable and they resume; failed ones can be redelivered', async () => {
    receiver.respondWith([{ status: 410, body: 'endpoint removed' }]);
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const firstReturn = await reportReturn(sys, t, s);
    const gone = await deliveryOf(sys, firstReturn);
    await waitFor(async () => (await delivery(sys, gone.id)).status === 'FAILED');
    expect((await delivery(sys, gone.id)).last_error).toMatch(/endpoint disabled \(the endpoint answered 410 Gone\) after 1 attempts/);
    await waitForState(sys, t, firstReturn, 'ESCALATED');

    const health = await sys.http.get(`/suppliers/${s.id}/endpoint`, auth(t.opsApiKey));
    expect(health.data).toMatchObject({ status: 'DISABLED', disabledReason: 'the endpoint answered 410 Gone', deliveries: { failed: 1 } });
    expect(health.data.events[0]).toMatchObject({ kind: 'DISABLED', actor: 'system', reason: 'the endpoint answered 410 Gone' });

    // a new request to a disabled endpoint is kept, not sent
    const waiting = await deliveryOf(sys, await reportReturn(sys, t, s));
    sys.clock.advance(HOUR);
    await sys.runDueTasks();
    await waitFor(async () => (await delivery(sys, waiting.id)).next_attempt_at === null);
    expect(await attemptsOf(sys, waiting.id)).toHaveLength(0);
    expect(receiver.requests).toHaveLength(1);
    expect((await delivery(sys, waiting.id)).status).toBe('PENDING');

    const enabled = await sys.http.post(`/suppliers/${s.id}/endpoint/enable`, {}, { headers: { ...auth(t.opsApiKey).headers, 'x-ops-actor': 'Ana' } });
    expect(enabled.status).toBe(202);
    await waitFor(async () => (await delivery(sys, waiting.id)).status === 'DELIVERED', { timeoutMs: 20_000 });
    expect(receiver.requests).toHaveLength(2);
    const after = await sys.http.get(`/suppliers/${s.id}/endpoint`, auth(t.apiKey));
    expect(after.data).toMatchObject({ status: 'ACTIVE', disabledReason: null });
    expect(after.data.events[0]).toMatchObject({ kind: 'ENABLED', actor: expect.stringContaining('Ana') });

    // a delivered one can't be "redelivered since": only failures are; the failed one goes again with its id
    const since = new Date(sys.clock.now().getTime() - 2 * HOUR).toISOString();
    const redo = await sys.http.post(`/suppliers/${s.id}/deliveries/redeliver`, { since }, auth(t.opsApiKey));
    expect(redo.status).toBe(202);
    expect(redo.data.matching).toBe(1);
    await waitFor(async () => (await delivery(sys, gone.id)).status === 'DELIVERED', { timeoutMs: 20_000 });
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([gone.id, waiting.id, gone.id]);
    expect((await delivery(sys, waiting.id)).attempts).toBe(1);
  });

  it('a disabled endpoint (410) raises an ops alert on each case it holds up: /ops/alerts, the case, the live stream; re-enabling clears them', async () => {
    receiver.respondWith([{ status: 410, body: 'endpoint removed' }]);
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const ops = { headers: { ...auth(t.opsApiKey).headers, 'x-ops-actor': 'Ana' } };
    const stream = await SseClient.open(`${sys.apiUrl}/ops/stream`, t.opsApiKey);
    try {
      await waitFor(() => stream.events.find((e) => e.event === 'hello'));
      const first = await reportReturn(sys, t, s);
      const alertOf = async (returnId: string) => waitFor(async () => {
        const items = (await sys.http.get('/ops/alerts', ops)).data.items as { kind: string; returnId: string; state: string; reason: string }[];
        return items.find((a) => a.returnId === returnId);
      }, { timeoutMs: 20_000, message: `alert for ${returnId} in /ops/alerts` });
      expect(await alertOf(first)).toMatchObject({ kind: 'SUPPLIER_ENDPOINT_DISABLED', state: 'DISABLED', reason: expect.stringMatching(/disabled \(the endpoint answered 410 Gone\)/) });
      const live = await waitFor(() => stream.events.find((e) => e.event === 'alert' && e.data.returnId === first), { timeoutMs: 20_000, message: 'alert on the stream' });
      expect(live.data).toMatchObject({ alert: 'SUPPLIER_ENDPOINT_DISABLED', supplierId: s.id });
      expect(live.data.cleared).toBeUndefined();
      const detail = (await sys.http.get(`/ops/cases/${first}`, ops)).data;
      expect(detail.alerts).toEqual([expect.objectContaining({ kind: 'SUPPLIER_ENDPOINT_DISABLED', clearedAt: null })]);

      // A later case waits on the same disabled endpoint: it gets its alert too (once, however often its delivery is looked at).
      const second = await reportReturn(sys, t, s);
      expect(await alertOf(second)).toMatchObject({ kind: 'SUPPLIER_ENDPOINT_DISABLED' });
      await waitFor(() => stream.events.find((e) => e.event === 'alert' && e.data.returnId === second));
      const [{ n }] = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM ops_alerts WHERE return_id = ANY($1::uuid[])`, [[first, second]]);
      expect(Number(n)).toBe(2);
      expect((await sys.http.get('/metrics')).data).toMatch(/ops_alerts_total\{kind="SUPPLIER_ENDPOINT_DISABLED",service="api"\} [1-9]/);

      expect((await sys.http.post(`/suppliers/${s.id}/endpoint/enable`, {}, ops)).status).toBe(202);
      const open = (await sys.http.get('/ops/alerts', ops)).data.items as { returnId: string }[];
      expect(open.filter((a) => [first, second].includes(a.returnId))).toEqual([]);
      await waitFor(() => stream.events.find((e) => e.event === 'alert' && e.data.returnId === second && e.data.cleared));
    } finally {
      stream.close();
    }
  });

  it('an endpoint that keeps failing for 5 days is disabled with an ops-visible event; redelivering one restarts its schedule', async () => {
    receiver.defaultResponse = { status: 503 };
    const t = await createTenant(sys);
    const s = await linkTo(sys, t, receiver);
    const d = await deliveryOf(sys, await reportReturn(sys, t, s));
    const [first] = await waitForAttempts(sys, d.id, 1);
    for (let n = 2; n <= 8; n++) await nextAttempt(sys, d.id);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'FAILED');
    expect((await sys.http.get(`/suppliers/${s.id}/endpoint`, auth(t.apiKey))).data.status).toBe('ACTIVE'); // 1.2 days of failures

    // day 4.5: ops redeliver it; a fresh schedule, still failing, crosses the 5-day mark
    advanceTo(sys, new Date(first.at.getTime() + 4.5 * DAY));
    const r = await sys.http.post(`/suppliers/${s.id}/deliveries/${d.id}/redeliver`, {}, auth(t.opsApiKey));
    expect(r.status).toBe(202);
    await waitForAttempts(sys, d.id, 9, 20_000);
    let n = 9;
    while ((await delivery(sys, d.id)).status === 'PENDING') await nextAttempt(sys, d.id).then(() => n++);
    const disabled = await delivery(sys, d.id);
    expect(disabled.status).toBe('FAILED');
    expect(disabled.last_error).toMatch(/endpoint disabled \(every attempt failed for 5\.\d days\)/);
    const cycle = n - 8;
    expect(cycle).toBeLessThan(8); // disabled by the 5-day rule, not by running out of retries
    const lastAt = (await attemptsOf(sys, d.id)).at(-1)!.at;
    expect(lastAt.getTime() - first.at.getTime()).toBeGreaterThanOrEqual(5 * DAY);

    const health = (await sys.http.get(`/suppliers/${s.id}/endpoint`, auth(t.opsApiKey))).data;
    expect(health).toMatchObject({ status: 'DISABLED', disabledReason: expect.stringMatching(/every attempt failed for 5\.\d days/) });
    expect(new Date(health.failingSince).getTime()).toBe(first.at.getTime());
    const events = await sys.sql(`SELECT kind, actor FROM webhook_endpoint_events WHERE supplier_id = $1`, [s.id]);
    expect(events).toEqual([{ kind: 'DISABLED', actor: 'system' }]);

    // a redelivery to a disabled endpoint waits too; re-enabling sends it (the supplier is fixed by now)
    receiver.defaultResponse = { status: 204 };
    expect((await sys.http.post(`/suppliers/${s.id}/deliveries/${d.id}/redeliver`, {}, auth(t.opsApiKey))).status).toBe(202);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'PENDING');
    await sys.runDueTasks();
    const sent = receiver.requests.length;
    expect((await sys.http.post(`/suppliers/${s.id}/endpoint/enable`, {}, auth(t.apiKey))).status).toBe(202);
    await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED', { timeoutMs: 20_000 });
    expect(receiver.requests).toHaveLength(sent + 1);
    expect((await sys.http.post(`/suppliers/${s.id}/deliveries/${d.id}/redeliver`, {}, auth(t.apiKey))).status).toBe(202);
    await waitFor(() => receiver.requests.length === sent + 2);
  });

  describe('SSRF guard', () => {
    let t: Tenant;
    beforeAll(async () => {
      t = await createTenant(sys);
    });

    it('refuses internal URLs at registration (400 naming webhookUrl), honouring only the allow-list', async () => {
      // The test allow-list is 127.0.0.1,localhost, matched as written: only those two spellings are exempt here
      // (0x7f000001, 2130706433, 127.1… are refused like everywhere; the unit spec runs the table with the list off).
      const cases = ssrfCases(8080).filter((c) => !['127.0.0.1', 'localhost'].includes(writtenHost(c.url) ?? ''));
      expect(cases.length).toBeGreaterThanOrEqual(30);
      const results = [];
      for (const c of cases) {
        const res = await sys.http.post('/suppliers', { name: 'x', webhookUrl: c.url, policy: { returnWindowDays: 30 } }, auth(t.apiKey));
        results.push({ url: c.url, status: res.status, fields: fieldsOf(res.data) });
      }
      expect(results.filter((r) => r.status !== 400 || !r.fields?.includes('webhookUrl'))).toEqual([]);
      const linked = await sys.sql(`SELECT count(*)::int AS n FROM suppliers WHERE tenant_id = $1`, [t.tenantId]);
      expect(linked[0].n).toBe(0);
    });

    it('checks again at send time: a stored URL that now points inwards gets no connection', async () => {
      const s = await linkTo(sys, t, receiver);
      const port = new URL(receiver.baseUrl).port;
      const refused = await sys.http.put(`/suppliers/${s.id}/webhook`, { webhookUrl: `http://[::ffff:127.0.0.1]:${port}/webhooks` }, auth(t.apiKey));
      expect(refused.status).toBe(400);
      // as if DNS had changed after registration: the row now says 0.0.0.0 (which Linux routes to this host)
      await sys.sql(`UPDATE suppliers SET webhook_url = $2 WHERE id = $1`, [s.id, `http://0.0.0.0:${port}/webhooks`]);
      const d = await deliveryOf(sys, await reportReturn(sys, t, s));
      const [a] = await waitForAttempts(sys, d.id, 1);
      expect(a.error).toMatch(/refused by SSRF guard: 0\.0\.0\.0 is in the unspecified range/);
      expect(a.status_code).toBeNull();
      await nextAttempt(sys, d.id);
      expect(receiver.requests).toHaveLength(0);

      // fixed through the API: the pending retries go to the corrected URL
      expect((await sys.http.put(`/suppliers/${s.id}/webhook`, { webhookUrl: receiver.url('/webhooks') }, auth(t.apiKey))).status).toBe(200);
      await nextAttempt(sys, d.id);
      await waitFor(async () => (await delivery(sys, d.id)).status === 'DELIVERED');
      expect(receiver.requests).toHaveLength(1);
    });
  });
});
