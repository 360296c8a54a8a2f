import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from '@app/platform';
import { answer, auth, DAY, fieldsOf, LinkedSupplier, Tenant, waitForState } from './support/scenario';
import { SseClient } from './support/sse';
import { startSystem, System, waitFor } from './support/system';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A loopback server recording every request (path and store token) and answering with `reply`. */
async function recorder(reply: (res: http.ServerResponse) => void) {
  const got: { path: string; token?: string }[] = [];
  const srv = http.createServer((req, res) => {
    got.push({ path: req.url ?? '', token: req.headers['x-shopify-access-token'] as string | undefined });
    req.resume();
    req.on('end', () => reply(res));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { got, port: (srv.address() as AddressInfo).port, close: () => new Promise<void>((r) => { srv.close(() => r()); srv.closeAllConnections(); }) };
}

/**
 * Issue 10 probes, end to end. The store allow-list names only `localhost`
 * here, so 127.0.0.1 and every other spelling of an inside address is judged
 * by the real rules; the fake Shopify is reached as http://localhost:<port>.
 */
describe('Security: store URL guard, secrets at rest, Idempotency-Key fingerprints', () => {
  let sys: System;
  const config = { api: { STORE_ALLOW_HOSTS: 'localhost' } as Record<string, unknown>, refunds: { STORE_ALLOW_HOSTS: 'localhost' } as Record<string, unknown>, suppliers: {} as Record<string, unknown> };
  beforeAll(async () => {
    sys = await startSystem({ config });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const shopUrl = () => sys.shop.url.replace('127.0.0.1', 'localhost');
  const signUp = (store: { url: string; accessToken: string }, policy: Record<string, unknown> = {}) =>
    sys.http.post('/tenants', {
      name: 'Acme Dropship', brandName: 'Acme', senderEmail: 'care@acme.test', shopCurrency: 'EUR', store,
      policy: { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', ...policy },
    });
  async function tenant(store = { url: shopUrl(), accessToken: sys.shop.accessToken }, policy: Record<string, unknown> = {}): Promise<Tenant> {
    const res = await signUp(store, policy);
    if (res.status !== 201) throw new Error(`sign-up: ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  }
  async function supplier(t: Tenant): Promise<LinkedSupplier> {
    const res = await sys.http.post('/suppliers', { name: 'Shenzhen Goods', webhookUrl: sys.supplier.url('/webhooks'), policy: { returnWindowDays: 30, slaHours: 48 } }, auth(t.apiKey));
    if (res.status !== 201) throw new Error(`link: ${res.status} ${JSON.stringify(res.data)}`);
    sys.supplier.secret = res.data.signingSecret;
    return res.data;
  }
  let seq = 7000;
  async function order(t: Tenant, s: LinkedSupplier) {
    const n = ++seq;
    const externalId = `gid://shopify/Order/${n}`;
    const lines = [{ externalId: `gid://shopify/LineItem/${n}0`, sku: 'SKU', title: 'Lamp', quantity: 1, unitPriceMinor: 2500, supplierId: s.id }];
    const now = sys.clock.now().getTime();
    const res = await sys.http.post('/orders', {
      externalId, currency: 'EUR', locale: 'en', customer: { email: `c${n}@example.test`, name: 'Sam' }, lines, shippingMinor: 0, taxMinor: 0,
      orderedAt: new Date(now - 10 * DAY).toISOString(), deliveredAt: new Date(now - 2 * DAY).toISOString(),
    }, auth(t.apiKey));
    if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.data)}`);
    sys.shop.addOrder({ id: externalId, currency: 'EUR', lineItems: lines.map((l) => ({ id: l.externalId, quantity: 1, unitPriceMinor: 2500 })) });
    return { ...(res.data as { id: string }), externalId };
  }
  const creditRequest = (externalOrderId: string) =>
    waitFor(() => sys.supplier.requests.find((r) => (r.json as Json)?.type === 'rma.credit_requested' && (r.json as Json)?.data?.orderId === externalOrderId), { timeoutMs: 20_000, message: `credit request for ${externalOrderId}` });

  describe('store URL (SSRF through the tenant store)', () => {
    it.each([
      ['http://127.0.0.1:9/', /loopback/],
      ['https://127.0.0.1/', /loopback/],
      ['https://169.254.169.254/', /linkLocal/],
      ['https://[::1]/', /loopback/],
      ['https://0x7f000001/', /loopback/],
      ['https://2130706433/', /must be a URL|loopback/], // refused by the URL validator already
      ['https://10.0.0.1/', /private/],
      ['http://acme.myshopify.com', /https/],
      ['https://acme.example.com', /myshopify\.com/],
      ['https://acme.myshopify.com.attacker.test', /myshopify\.com/],
      ['https://acme.myshopify.com:8443', /port/],
      ['https://user:pw@acme.myshopify.com', /credentials/],
    ])('sign-up with store.url %s: 400 naming store.url, nothing stored', async (url, why) => {
      const before = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM tenants`);
      const res = await signUp({ url, accessToken: 'shpat_probe' });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.data)).toEqual(['store.url']);
      expect(String(res.data.detail)).toMatch(why);
      expect(await sys.sql(`SELECT count(*) AS n FROM tenants`)).toEqual(before);
    });

    it('a store answering 302 gets the token once; the redirect target gets no request and no token', async () => {
      const target = await recorder((res) => res.end('{}'));
      const store = await recorder((res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${target.port}/admin/api/2026-04/graphql.json` });
        res.end();
      });
      try {
        const t = await tenant({ url: `http://localhost:${store.port}`, accessToken: 'shpat_redirect_probe' }, { refundTiming: 'IMMEDIATE' });
        const s = await supplier(t);
        const o = await order(t, s);
        const r = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', reason: 'broken', evidenceUrls: ['https://p.example.test/1.jpg'] }, auth(t.apiKey));
        expect(r.status).toBe(202);
        const failed = await waitFor(async () => {
          const [row] = await sys.sql<{ status: string; last_error: string }>(`SELECT status, last_error FROM refunds WHERE return_id = $1 AND status = 'FAILED'`, [r.data.returnId]);
          return row;
        }, { timeoutMs: 20_000, message: 'refund to fail' });
        expect(failed.last_error).toMatch(/redirect \(HTTP 302\).*not followed/);
        expect(store.got).toEqual([{ path: '/admin/api/2026-04/graphql.json', token: 'shpat_redirect_probe' }]); // one attempt: a redirect is not retried
        expect(target.got).toEqual([]);
      } finally {
        await Promise.all([store.close(), target.close()]);
      }
    });
  });

  describe('secrets at rest', () => {
    it('no secret is stored in plain text; refunds and webhook signatures (both secrets while rotating) still work; secrets:rotate re-seals under a new key', async () => {
      const t = await tenant();
      const s = await supplier(t);
      const original = s.signingSecret;
      const rotated = await sys.http.post(`/suppliers/${s.id}/secret/rotate`, { overlapHours: 24 }, auth(t.apiKey));
      expect(rotated.status).toBe(201);
      const fresh = rotated.data.signingSecret as string;
      sys.supplier.secret = fresh;

      const rows = {
        token: await sys.sql<{ v: string }>(`SELECT store_access_token AS v FROM tenants WHERE id = $1`, [t.tenantId]),
        signing: await sys.sql<{ v: string }>(`SELECT signing_secret AS v FROM suppliers WHERE id = $1`, [s.id]),
        retired: await sys.sql<{ v: string }>(`SELECT secret AS v FROM supplier_retired_secrets WHERE supplier_id = $1`, [s.id]),
      };
      expect(rows.retired).toHaveLength(1);
      const dump = JSON.stringify(await sys.sql(`SELECT t.*, s.*, x.* FROM tenants t JOIN suppliers s ON s.tenant_id = t.id LEFT JOIN supplier_retired_secrets x ON x.supplier_id = s.id WHERE t.id = $1`, [t.tenantId]));
      for (const secret of [sys.shop.accessToken, original, fresh, original.replace(/^whsec_/, ''), fresh.replace(/^whsec_/, '')]) expect(dump).not.toContain(secret);
      for (const v of [rows.token[0].v, rows.signing[0].v, rows.retired[0].v]) expect(v).toMatch(/^v1:dev:[^:]+:[^:]+:[^:]+$/);

      // The whole flow still works: a webhook signed with both secrets (verified by standardwebhooks), then a refund with the store token.
      const o = await order(t, s);
      const r = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', reason: 'broken', evidenceUrls: ['https://p.example.test/1.jpg'] }, auth(t.apiKey));
      expect(r.status).toBe(202);
      const req = await creditRequest(o.externalId);
      const payload = new Webhook(fresh).verify(req.body, req.headers) as Json;
      expect(() => new Webhook(original).verify(req.body, req.headers)).not.toThrow();
      expect((await answer(sys, s, payload.data.requestId, { decision: 'APPROVED', amountMinor: 2500, currency: 'EUR' })).status).toBe(200);
      await waitForState(sys, t, r.data.returnId, 'COMPLETED');
      expect(sys.shop.refunds.filter((x) => x.orderId === o.externalId)).toHaveLength(1);

      // A legacy plain-text row (as before the migration) and a key rotation: dev -> k2, by the npm script.
      const legacy = `whsec_${randomBytes(24).toString('base64')}`;
      await sys.sql(`INSERT INTO supplier_retired_secrets (supplier_id, secret, retired_at, expires_at) VALUES ($1, $2, $3, $4)`, [s.id, legacy, sys.clock.now(), new Date(sys.clock.now().getTime() + DAY)]);
      const k2 = SecretBox.newKey('k2');
      const out = await promisify(execFile)('npm', ['run', '-s', 'secrets:rotate'], { env: { ...process.env, DATABASE_URL: sys.db.url, SECRETS_KEYS: `${k2},${SecretBox.devKeyEntry()}` } });
      expect(JSON.parse(out.stdout)).toEqual({ activeKey: 'k2', resealed: expect.objectContaining({ 'tenants.store_access_token': expect.any(Number), 'suppliers.signing_secret': expect.any(Number), 'supplier_retired_secrets.secret': expect.any(Number) }) });
      const after = await sys.sql<{ v: string }>(`SELECT store_access_token AS v FROM tenants UNION ALL SELECT signing_secret FROM suppliers UNION ALL SELECT secret FROM supplier_retired_secrets`);
      for (const { v } of after.filter((x) => x.v)) expect(v).toMatch(/^v1:k2:/);
      expect(JSON.stringify(after)).not.toContain(legacy.slice(6));

      // The services now run on k2 alone (the dev key dropped): signing and refunds still work.
      for (const name of ['api', 'suppliers', 'refunds'] as const) config[name] = { ...config[name], SECRETS_KEYS: k2 };
      for (const name of ['api', 'suppliers', 'refunds'] as const) {
        await sys.stopService(name);
        await sys.startService(name);
      }
      const o2 = await order(t, s);
      const r2 = await sys.http.post('/returns', { orderId: o2.id, eventType: 'DAMAGED', reason: 'broken', evidenceUrls: ['https://p.example.test/2.jpg'] }, auth(t.apiKey));
      expect(r2.status).toBe(202);
      const req2 = await creditRequest(o2.externalId);
      const p2 = new Webhook(fresh).verify(req2.body, req2.headers) as Json;
      expect(() => new Webhook(legacy).verify(req2.body, req2.headers)).not.toThrow(); // the re-sealed legacy row signs too
      expect((await answer(sys, s, p2.data.requestId, { decision: 'APPROVED', amountMinor: 2500, currency: 'EUR' })).status).toBe(200);
      await waitForState(sys, t, r2.data.returnId, 'COMPLETED');
      expect(sys.shop.refunds.filter((x) => x.orderId === o2.externalId)).toHaveLength(1);
    });
  });

  describe('Idempotency-Key reused with another body', () => {
    it('POST /returns: same key + same body replays the first return; same key + another body is 422 and changes nothing', async () => {
      const t = await tenant();
      const s = await supplier(t);
      const o = await order(t, s);
      const body = { orderId: o.id, eventType: 'DAMAGED', reason: 'broken', evidenceUrls: ['https://p.example.test/1.jpg'] };
      const key = { headers: { ...auth(t.apiKey).headers, 'idempotency-key': 'claim-1' } };
      const first = await sys.http.post('/returns', body, key);
      expect(first.status).toBe(202);
      const again = await sys.http.post('/returns', { evidenceUrls: body.evidenceUrls, reason: 'broken', eventType: 'DAMAGED', orderId: o.id }, key); // same body, keys reordered
      expect(again.status).toBe(202);
      expect(again.data).toMatchObject({ returnId: first.data.returnId, replayed: true });
      const other = await sys.http.post('/returns', { ...body, reason: 'a different claim' }, key);
      expect(other.status).toBe(422);
      expect(other.data).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
      expect(fieldsOf(other.data)).toEqual(['Idempotency-Key']);
      expect(await sys.sql(`SELECT id FROM returns WHERE tenant_id = $1`, [t.tenantId])).toEqual([{ id: first.data.returnId }]);
    });

    it('ops actions: same key + same body replays; another reason under the key is 422', async () => {
      const t = await tenant();
      const s = await supplier(t);
      const o = await order(t, s);
      const r = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', reason: 'broken', evidenceUrls: ['https://p.example.test/1.jpg'] }, auth(t.apiKey));
      const ops = { headers: { ...auth(t.opsApiKey).headers, 'idempotency-key': 'note-1' } };
      const first = await sys.http.post(`/ops/cases/${r.data.returnId}/notes`, { text: 'called the supplier' }, ops);
      expect(first.status).toBeLessThan(300);
      const again = await sys.http.post(`/ops/cases/${r.data.returnId}/notes`, { text: 'called the supplier' }, ops);
      expect(again.data).toMatchObject({ actionId: first.data.actionId, replayed: true });
      const other = await sys.http.post(`/ops/cases/${r.data.returnId}/notes`, { text: 'something else' }, ops);
      expect(other.status).toBe(422);
      expect(other.data.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // A batch: the same key with another reason is refused before anything runs.
      await waitForState(sys, t, r.data.returnId, 'AWAITING_SUPPLIER');
      const batch = { action: 'RESOLVE', filter: { state: ['AWAITING_SUPPLIER'] }, reason: 'bulk close', expectedCount: 1 };
      const bk = { headers: { ...auth(t.opsApiKey).headers, 'idempotency-key': 'batch-1' } };
      const run = await sys.http.post('/ops/batch', batch, bk);
      expect(run.data).toMatchObject({ requested: 1, replayed: false });
      expect((await sys.http.post('/ops/batch', batch, bk)).data).toMatchObject({ batchId: run.data.batchId, replayed: true });
      const changed = await sys.http.post('/ops/batch', { ...batch, reason: 'another reason' }, bk);
      expect(changed.status).toBe(422);
      expect(changed.data.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('Security: rate limits, stream cap, headers, /metrics and /docs', () => {
  let sys: System;
  const METRICS_TOKEN = 'probe-metrics-token-0123456789';
  let a: Tenant;
  let b: Tenant;
  const signUp = () => sys.http.post('/tenants', { name: 'Acme', brandName: 'Acme', senderEmail: 'care@acme.test', shopCurrency: 'EUR' });
  beforeAll(async () => {
    sys = await startSystem({
      services: ['api'],
      config: { api: { RATE_LIMIT_WINDOW_SECONDS: 60, RATE_LIMIT_SIGNUPS_PER_IP: 4, RATE_LIMIT_PER_KEY: 8, OPS_STREAMS_PER_KEY: 2, METRICS_TOKEN } },
    });
    a = (await signUp()).data;
    b = (await signUp()).data;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('anonymous sign-up is limited per IP: 429 with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await signUp());
    expect(answers.map((x) => x.status)).toEqual([201, 201, 429]); // 2 in beforeAll + 2 = the limit of 4
    const retryAfter = Number(answers[2].headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('each API key has its own budget: 429 with Retry-After past it, another key is unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 9; i++) statuses.push((await sys.http.get('/tenant/policy', auth(a.apiKey))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const limited = await sys.http.get('/tenant/policy', auth(a.apiKey));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await sys.http.get('/tenant/policy', auth(b.apiKey))).status).toBe(200);
  });

  it('caps live streams per key (429 + Retry-After), and frees the slot when a stream closes', async () => {
    const url = `${sys.apiUrl}/ops/stream`;
    const s1 = await SseClient.open(url, b.opsApiKey);
    const s2 = await SseClient.open(url, b.opsApiKey);
    const s3 = await SseClient.open(url, b.opsApiKey);
    try {
      expect([s1.status, s2.status, s3.status]).toEqual([200, 200, 429]);
      s1.close();
      const s4 = await waitFor(async () => {
        const s = await SseClient.open(url, b.opsApiKey);
        if (s.status === 200) return s;
        s.close();
        return undefined;
      }, { timeoutMs: 5_000, message: 'a stream slot to free up' });
      s4?.close();
    } finally {
      for (const s of [s1, s2, s3]) s.close();
    }
  });

  it('helmet headers, no X-Powered-By; the console CSP has no unsafe-inline in script-src', async () => {
    const api = await sys.http.get('/health');
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(api.headers['strict-transport-security']).toBeDefined();
    const page = await sys.http.get('/console');
    expect(page.status).toBe(200);
    const scriptSrc = String(page.headers['content-security-policy']).split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toMatch(/^script-src 'self' 'sha256-[A-Za-z0-9+/=]+'$/);
    expect(page.headers['x-powered-by']).toBeUndefined();
  });

  it('/metrics and /docs need the METRICS_TOKEN bearer', async () => {
    for (const path of ['/metrics', '/docs', '/docs-json']) {
      expect((await sys.http.get(path)).status).toBe(401);
      expect((await sys.http.get(path, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await sys.http.get(path, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    }
    expect((await sys.http.get('/health')).status).toBe(200);
  });
});
