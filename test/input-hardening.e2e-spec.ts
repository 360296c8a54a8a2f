import { auth, createTenant, LinkedSupplier, linkSupplier, registerOrder, Tenant } from './support/scenario';
import { startSystem, System } from './support/system';

/**
 * Issue 10's "500 instead of 400" probes and issue 11's one error format: each
 * bad input is a 400 naming the field, as RFC 9457 problem details, and leaves
 * no row behind.
 */
describe('input hardening and problem details', () => {
  let sys: System;
  let t: Tenant;
  let s: LinkedSupplier;
  let returnId: string;

  beforeAll(async () => {
    sys = await startSystem({ services: ['api'] });
    t = await createTenant(sys);
    s = await linkSupplier(sys, t);
    const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 2 });
    const r = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/1.jpg'] }, auth(t.apiKey));
    expect(r.status).toBe(202);
    returnId = r.data.returnId;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const rows = async () => (await sys.sql<{ n: string }>(`SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_lines) + (SELECT count(*) FROM tenants) + (SELECT count(*) FROM returns) AS n`))[0].n;
  const order = (over: Record<string, unknown> = {}, line: Record<string, unknown> = {}) => ({
    externalId: `gid://shopify/Order/h${Math.random().toString(36).slice(2)}`, currency: 'EUR', customer: { email: 'c@example.test', name: 'Sam' },
    lines: [{ externalId: 'gid://shopify/LineItem/1', sku: 'SKU-1', title: 'Vase', quantity: 1, unitPriceMinor: 1999, supplierId: s.id, ...line }],
    shippingMinor: 495, taxMinor: 0, orderedAt: '2026-01-10T10:00:00Z', ...over,
  });

  /** A 400 problem document that names `field` (exactly, or as the prefix of a nested path). */
  function expectFieldProblem(res: { status: number; headers: Record<string, unknown>; data: Record<string, unknown> }, field: string) {
    expect({ status: res.status, body: res.data }).toMatchObject({ status: 400, body: { status: 400, code: 'INVALID' } });
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const fields = (res.data.errors as { field: string }[]).map((e) => e.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
  }

  describe('one error format', () => {
    it('a validation error is problem+json with every field in errors', async () => {
      const res = await sys.http.post('/orders', { ...order(), currency: 'XXX', lines: [{ quantity: 0 }], extra: 1 }, auth(t.apiKey));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.data).toMatchObject({
        type: 'tag:returns-orchestrator,2026:problem:invalid', title: 'Invalid request', status: 400, code: 'INVALID', instance: '/orders',
        detail: expect.stringContaining('currency'),
      });
      const fields = res.data.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['currency', 'extra', 'lines.0.quantity', 'lines.0.supplierId']));
      for (const e of res.data.errors) expect(typeof e.message).toBe('string');
      expect(res.data).not.toHaveProperty('statusCode');
      expect(res.data).not.toHaveProperty('error');
    });

    it.each([
      ['no key (guard)', () => sys.http.get('/tenant/policy'), 401, 'UNAUTHENTICATED'],
      ['unknown route (router)', () => sys.http.get('/no-such-route', auth(t.apiKey)), 404, 'NOT_FOUND'],
      ['unknown order (use case)', () => sys.http.get('/orders/00000000-0000-4000-8000-000000000000', auth(t.apiKey)), 404, 'NOT_FOUND'],
      ['bad uuid (pipe)', () => sys.http.get('/orders/nope', auth(t.apiKey)), 400, 'INVALID'],
      ['malformed JSON (body parser)', () => sys.http.post('/orders', '{"externalId":', { headers: { ...auth(t.apiKey).headers, 'content-type': 'application/json' } }), 400, 'INVALID'],
      ['too large (body parser)', () => sys.http.post('/orders', { x: 'a'.repeat(200_000) }, auth(t.apiKey)), 413, 'PAYLOAD_TOO_LARGE'],
      ['tenant key on an ops action (forbidden)', () => sys.http.post(`/ops/cases/${returnId}/notes`, { text: 'hi' }, auth(t.apiKey)), 403, 'FORBIDDEN'],
    ])('%s: problem details too', async (_name, call, status, code) => {
      const res = await call();
      expect({ status: res.status, code: res.data.code }).toEqual({ status, code });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.data).toMatchObject({ status, type: expect.stringMatching(/^tag:returns-orchestrator,2026:problem:/), title: expect.any(String), detail: expect.any(String) });
    });

    it('names the path parameter of a bad uuid', async () => {
      const res = await sys.http.get('/orders/nope', auth(t.apiKey));
      expect(res.data.errors).toEqual([{ field: 'id', message: 'id: must be a UUID' }]);
    });

    it('documents the shape once in OpenAPI, as a default answer of every operation', async () => {
      const doc = (await sys.http.get('/docs-json')).data;
      expect(doc.components.schemas.ProblemDetailsDto.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
      expect(doc.components.schemas.FieldErrorDto.required).toEqual(['field', 'message']);
      expect(doc.paths['/orders'].post.responses.default.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDetailsDto');
    });
  });

  describe('each probe of issue 10 is a 400 naming the field, and stores nothing', () => {
    const deep = (n: number) => `{"name":${'['.repeat(n)}${']'.repeat(n)}}`;
    const cases: [string, () => Promise<{ status: number; headers: Record<string, unknown>; data: Record<string, unknown> }>, string][] = [
      ['NUL in a line title', () => sys.http.post('/orders', order({}, { title: 'Vase\u0000' }), auth(t.apiKey)), 'lines.0.title'],
      ['NUL in a tenant name', () => sys.http.post('/tenants', { name: 'Ac\u0000me', brandName: 'Acme', senderEmail: 'a@acme.test', shopCurrency: 'EUR' }), 'name'],
      ['NUL in a return reason', () => sys.http.post('/returns', { externalOrderId: 'x', eventType: 'DAMAGED', reason: 'broken\u0000' }, auth(t.apiKey)), 'reason'],
      ['a lone surrogate in a name', () => sys.http.post('/tenants', { name: 'Acme\ud800', brandName: 'Acme', senderEmail: 'a@acme.test', shopCurrency: 'EUR' }), 'name'],
      ['unitPriceMinor: 1e20', () => sys.http.post('/orders', order({}, { unitPriceMinor: 1e20 }), auth(t.apiKey)), 'lines.0.unitPriceMinor'],
      ['quantity: 3000000000 (beyond int4)', () => sys.http.post('/orders', order({}, { quantity: 3_000_000_000 }), auth(t.apiKey)), 'lines.0.quantity'],
      ['shippingMinor: 1e19', () => sys.http.post('/orders', order({ shippingMinor: 1e19 }), auth(t.apiKey)), 'shippingMinor'],
      ['an amount just above 2^53-1 (would be rounded)', () => sys.http.post('/orders', '{"taxMinor":9007199254740993}'.replace('}', `,${JSON.stringify(order({ taxMinor: undefined })).slice(1)}`), { headers: { ...auth(t.apiKey).headers, 'content-type': 'application/json' } }), 'taxMinor'],
      ['amounts that are safe alone but not in total', () => sys.http.post('/orders', order({}, { unitPriceMinor: Number.MAX_SAFE_INTEGER, quantity: 2 }), auth(t.apiKey)), 'lines'],
      ['orderedAt: 2026-02-30', () => sys.http.post('/orders', order({ orderedAt: '2026-02-30T00:00:00Z' }), auth(t.apiKey)), 'orderedAt'],
      ['orderedAt: a week date Postgres cannot read', () => sys.http.post('/orders', order({ orderedAt: '2026-W01-1' }), auth(t.apiKey)), 'orderedAt'],
      ['an 8 KB externalId', () => sys.http.post('/orders', order({ externalId: 'x'.repeat(8192) }), auth(t.apiKey)), 'externalId'],
      ['an 8 KB Idempotency-Key', () => sys.http.post('/returns', { externalOrderId: 'x', eventType: 'DAMAGED' }, { headers: { ...auth(t.apiKey).headers, 'idempotency-key': 'k'.repeat(8192) } }), 'Idempotency-Key'],
      ['JSON nested 20,000 deep', () => sys.http.post('/tenants', deep(20_000), { headers: { 'content-type': 'application/json' } }), 'name'],
      ['POST /orders without customer', () => sys.http.post('/orders', order({ customer: undefined }), auth(t.apiKey)), 'customer'],
      ['POST /orders with customer: []', () => sys.http.post('/orders', order({ customer: [] }), auth(t.apiKey)), 'customer'],
      ['a policy with an unknown event type', () => sys.http.put('/tenant/policy', { claimWindowDays: 30, refundTiming: 'IMMEDIATE', defaultResolution: { NOPE: 'REFUND' }, lateGoodwill: { kind: 'NONE' }, lateCancelThresholdDays: 10, lostAfterSilentDays: 5, autoApproveBelowMinor: 0, returnShippingPayer: 'CUSTOMER', feedbackAfterDays: 3 }, auth(t.apiKey)), 'defaultResolution'],
      ['?minAgeHours=1e20', () => sys.http.get('/ops/cases?minAgeHours=1e20', auth(t.opsApiKey)), 'minAgeHours'],
      ['cases cursor: garbage', () => sys.http.get('/ops/cases?cursor=garbage', auth(t.opsApiKey)), 'cursor'],
      ['cases cursor: well-formed JSON, not a timestamp', () => sys.http.get(`/ops/cases?cursor=${b64('["x","y"]')}`, auth(t.opsApiKey)), 'cursor'],
      ['cases cursor: 30 February', () => sys.http.get(`/ops/cases?cursor=${b64('["2026-02-30 00:00:00+00","00000000-0000-4000-8000-000000000000"]')}`, auth(t.opsApiKey)), 'cursor'],
      ['cases cursor: not a uuid', () => sys.http.get(`/ops/cases?cursor=${b64('["2026-01-01 00:00:00+00","not-a-uuid"]')}`, auth(t.opsApiKey)), 'cursor'],
      ['timeline cursor: garbage', () => sys.http.get(`/ops/cases/${returnId}/timeline?cursor=${b64('["9999-99-99 00:00:00+00","a"]')}`, auth(t.opsApiKey)), 'cursor'],
      ['deliveries cursor: garbage', () => sys.http.get(`/suppliers/${s.id}/deliveries?cursor=${b64(`2026-13-01 00:00:00+00|msg_${'0'.repeat(32)}`)}`, auth(t.opsApiKey)), 'cursor'],
      ['deliveries since=2026-02-30', () => sys.http.get(`/suppliers/${s.id}/deliveries?since=2026-02-30`, auth(t.opsApiKey)), 'since'],
      ['redeliver since=2026-02-30', () => sys.http.post(`/suppliers/${s.id}/deliveries/redeliver`, { since: '2026-02-30T00:00:00Z' }, auth(t.opsApiKey)), 'since'],
      ['an object with toString: null where a number goes (found by the fuzz test)', () => sys.http.post('/ops/batch/preview', { action: 'RETRY', filter: { minAgeHours: { toString: null } } }, auth(t.opsApiKey)), 'filter.minAgeHours'],
      ['a __proto__ key', () => sys.http.post('/tenants', '{"name":"A","brandName":"A","senderEmail":"a@a.test","shopCurrency":"EUR","policy":{"__proto__":{"claimWindowDays":1}}}', { headers: { 'content-type': 'application/json' } }), 'policy.__proto__'],
      ['NUL in a query parameter', () => sys.http.get('/ops/cases?q=a%00b', auth(t.opsApiKey)), 'q'],
    ];

    it.each(cases)('%s', async (_name, call, field) => {
      const before = await rows();
      const res = await call();
      expectFieldProblem(res, field);
      expect(await rows()).toBe(before);
    });
  });

  describe('currency codes: ISO 4217, real currencies only', () => {
    it.each(['XXX', 'XTS', 'XAU', '123', '€€€', 'EURO', 'ZZZ'])('refuses %s for an order and for a tenant', async (currency) => {
      const before = await rows();
      expectFieldProblem(await sys.http.post('/orders', order({ currency }), auth(t.apiKey)), 'currency');
      expectFieldProblem(await sys.http.post('/tenants', { name: 'A', brandName: 'A', senderEmail: 'a@a.test', shopCurrency: currency }), 'shopCurrency');
      expect(await rows()).toBe(before);
    });

    it('an order stored in "123" before codes were checked does not break the ledger export', async () => {
      const [{ id }] = await sys.sql<{ id: string }>(
        `INSERT INTO orders (id, tenant_id, external_id, currency, locale, customer_email, shipping_minor, tax_minor, total_paid_minor, ordered_at)
         VALUES (gen_random_uuid(), $1, 'legacy-123', '123', 'en', 'c@example.test', 0, 0, 700, now()) RETURNING id`, [t.tenantId]);
      await sys.sql(`INSERT INTO returns (id, tenant_id, order_id, event_type, request, created_at) VALUES (gen_random_uuid(), $1, $2, 'LOST', '{}', now())`, [t.tenantId, id]);
      const csv = await sys.http.get('/reports/ledger.csv', auth(t.apiKey));
      expect(csv.status).toBe(200);
      expect(csv.data).toMatch(/legacy-123.*,123,/);
    });

    it.each([['JPY', 'JPY'], ['KWD', 'KWD'], ['eur', 'EUR']])('takes %s (stored as %s)', async (currency, stored) => {
      const res = await sys.http.post('/orders', order({ currency }), auth(t.apiKey));
      expect(res.status).toBe(201);
      expect(res.data.currency).toBe(stored);
    });
  });
});
