import fc from 'fast-check';
import { STUCK_SCAN_QUEUE } from '../apps/api/src/ops/stuck-detector';
import { PURGE_QUEUE } from '../apps/api/src/supplier-api/supplier-auth';
import { auth, createTenant, LinkedSupplier, linkSupplier, registerOrder, Tenant } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

/**
 * Fuzzes every GET, POST, PUT, PATCH and DELETE route of the api, as the
 * served OpenAPI document lists them (a new route is fuzzed without touching
 * this file), with valid credentials: arbitrary JSON bodies, mutations of a
 * valid body, arbitrary query strings, path parameters and Idempotency-Keys.
 * No answer may be a 5xx, and a 4xx must leave every table's row count as it
 * was. FUZZ_RUNS sets the runs per route (default 12: about 30 s here).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Routes that never answer by design: a server-sent event stream stays open. */
const SKIP = new Set(['get /ops/stream']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Operation {
  method: string;
  path: string;
  query: string[];
}

describe('fuzz: no 5xx, and a 4xx changes nothing', () => {
  let sys: System;
  let t: Tenant;
  let s: LinkedSupplier;
  let orderId: string;
  let returnId: string;
  let operations: Operation[];
  let countAll: string;

  beforeAll(async () => {
    sys = await startSystem({ services: ['api'] });
    t = await createTenant(sys);
    s = await linkSupplier(sys, t);
    const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 2 });
    orderId = order.id;
    const r = await sys.http.post('/returns', { orderId, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/1.jpg'] }, auth(t.apiKey));
    returnId = r.data.returnId;

    const doc = (await sys.http.get('/docs-json')).data as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method) && !SKIP.has(`${method} ${path}`))
        .map(([method, op]) => ({ method, path, query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) })),
    );
    const tables = await sys.sql<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    // The api's own recurring jobs (stuck scan, purge) add a task row every few seconds: those rows are not the request's.
    const own = (name: string) => (name === 'tasks' ? ` WHERE queue NOT IN ('${STUCK_SCAN_QUEUE}', '${PURGE_QUEUE}')` : '');
    countAll = tables.map(({ t: name }) => `SELECT '${name}' AS t, count(*)::int AS n FROM "${name}"${own(name)}`).join(' UNION ALL ');
  }, 60_000);
  afterAll(async () => {
    await sys?.stop();
  });

  const counts = async () => Object.fromEntries((await sys.sql<{ t: string; n: number }>(countAll)).map((r) => [r.t, r.n]));
  // The outbox relay deletes what it sent: wait for it to be idle, so a count can only move by the request itself.
  const quiet = () => waitFor(async () => (await sys.sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`))[0].n === 0, { timeoutMs: 10_000, message: 'outbox drained' });

  /** A valid body per route (path template), to mutate one field at a time; other routes get one of these or arbitrary JSON. */
  const seeds = (): Record<string, Json> => {
    const policy = { claimWindowDays: 30, refundTiming: 'IMMEDIATE', defaultResolution: { DAMAGED: 'REFUND' }, lateGoodwill: { kind: 'PERCENT', percent: 10 }, lateCancelThresholdDays: 10, lostAfterSilentDays: 5, autoApproveBelowMinor: 1000, returnShippingPayer: 'CUSTOMER', feedbackAfterDays: 3 };
    const supplierPolicy = { returnWindowDays: 30, acceptsReturns: true, evidenceRequiredFor: ['DAMAGED'], returnRequiredFor: [], restockingFeePercent: 0, paysReturnShippingFor: [], creditMethod: 'REFUND', slaHours: 48, claimLimitMinor: 100000 };
    return {
      'post /tenants': { name: 'Fuzz', brandName: 'Fuzz', senderEmail: 'f@fuzz.test', shopCurrency: 'EUR', store: { url: sys.shop.url, accessToken: 'shpat_x' }, policy },
      'put /tenant/policy': policy,
      'post /suppliers': { name: 'S', webhookUrl: sys.supplier.url('/webhooks'), policy: supplierPolicy },
      'put /suppliers/{id}/policy': supplierPolicy,
      'put /suppliers/{id}/webhook': { webhookUrl: sys.supplier.url('/webhooks') },
      'post /orders': {
        externalId: 'gid://shopify/Order/fuzz', orderNumber: '#1', currency: 'JPY', locale: 'en', customer: { email: 'c@example.test', name: 'Sam' },
        lines: [{ externalId: 'gid://shopify/LineItem/f1', sku: 'SKU', title: 'Vase', quantity: 2, unitPriceMinor: 1999, supplierId: s.id }],
        shippingMinor: 495, taxMinor: 0, orderedAt: '2026-01-10T10:00:00Z', promisedAt: '2026-01-15T10:00:00Z', deliveredAt: '2026-01-14T10:00:00Z',
      },
      'post /returns': { orderId, eventType: 'DAMAGED', reason: 'broken', resolution: 'REFUND', lines: [{ externalLineId: 'x', quantity: 1 }], evidenceUrls: ['https://p.example.test/1.jpg'], newEta: '2026-02-01', trackingNumber: 'T1', defect: true },
      'post /returns/{id}/events': { status: 'EVIDENCE_ADDED', carrier: 'DHL', trackingNumber: 'T', evidenceUrls: ['https://p.example.test/2.jpg'], at: '2026-01-20T10:00:00Z' },
      'put /tenant/templates/{template}/{locale}': { subject: 'Hi {{brand}}', body: 'Hello {{customerName}}' },
      'post /ops/cases/{returnId}/notes': { text: 'a note' },
      'post /ops/cases/{returnId}/retry': { reason: 'try again' },
      'post /ops/cases/{returnId}/cancel': { reason: 'cancel it' },
      'post /ops/cases/{returnId}/resolve': { reason: 'done by hand', outcome: 'refunded' },
      'post /ops/cases/{returnId}/redeliver': { reason: 'again', deliveryId: `msg_${'0'.repeat(32)}` },
      'post /ops/cases/{returnId}/supplier-decision': { supplierId: s.id, note: 'by phone', decision: 'PARTIALLY_APPROVED', amountMinor: 100, currency: 'EUR' },
      'post /ops/batch/preview': { action: 'RETRY', filter: { eventType: ['DAMAGED'], minAgeHours: 1, open: true } },
      'post /ops/batch': { action: 'CANCEL', filter: { stuck: true }, reason: 'batch', expectedCount: 0 },
      'post /suppliers/{id}/secret/rotate': { overlapHours: 1 },
      'post /suppliers/{id}/deliveries/redeliver': { since: '2026-01-01T00:00:00Z' },
      'post /supplier-api/requests/{requestId}/answer': { decision: 'APPROVED', amountMinor: 100, currency: 'EUR', rmaNumber: 'R1' },
    };
  };

  // Values that broke something once, or sit on a boundary, beside arbitrary JSON.
  const nasty = fc.constantFrom<Json>(
    1e20, 3_000_000_000, 2_147_483_648, -1, 0, 1.5, 9007199254740991, 9007199254740993, -0, 1e-7,
    '', ' ', 'x'.repeat(9000), 'a\u0000b', '\ud800', '2026-02-30T00:00:00Z', '2026-W01-1', '0000-01-01', '9999-12-31T23:59:59Z',
    'XXX', '123', '€€€', 'eur', 'EUR', 'JPY', 'REFUND', 'DAMAGED', 'garbage', '00000000-0000-4000-8000-000000000000', 'http://169.254.169.254/', 'javascript:alert(1)',
    [], {}, null, true, [null], [[]], { a: { b: { c: {} } } },
  );
  const anyValue: fc.Arbitrary<Json> = fc.oneof(
    { weight: 3, arbitrary: nasty },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n): Json => JSON.parse('['.repeat(n) + ']'.repeat(n))) },
  );

  function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
    if (v === null || typeof v !== 'object') return [prefix];
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    return [prefix, ...keys.flatMap((k) => paths((v as Record<string, Json>)[k], [...prefix, k]))];
  }
  function mutate(seed: Json, path: (string | number)[], op: 'set' | 'delete' | 'add', value: Json, extraKey: string): Json {
    if (!path.length) return op === 'set' ? value : seed;
    const copy = structuredClone(seed) as Record<string, Json>;
    let node: Record<string, Json> = copy;
    for (const k of path.slice(0, -1)) node = node[k as string] as Record<string, Json>;
    const last = path[path.length - 1] as string;
    if (op === 'delete') delete node[last];
    else if (op === 'add' && node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) (node[last] as Record<string, Json>)[extraKey] = value;
    else node[last] = value;
    return copy;
  }

  const body = (seed: Json | undefined, all: Json[]): fc.Arbitrary<Json | undefined> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...(seed !== undefined ? [seed] : all)), fc.nat(), fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>, anyValue, fc.string({ maxLength: 8 }))
        .map(([sd, i, op, value, key]) => { const ps = paths(sd); return mutate(sd, ps[i % ps.length], op, value, key); }) },
      { weight: 1, arbitrary: fc.constant(seed) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json> },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );

  const queryValue = fc.oneof(
    fc.constantFrom('1e20', '-1', '0', '1', '2026-02-30', '2026-01-01', 'true', 'false', 'garbage', 'DAMAGED,LOST', 'ESCALATED', 'a%00b', '', 'x'.repeat(600), '9007199254740993', 'NaN', 'Infinity'),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  const query = (names: string[]) =>
    fc.tuple(fc.subarray([...names, 'cursor', 'limit']), fc.array(queryValue, { minLength: 12, maxLength: 12 }), fc.option(fc.string({ minLength: 1, maxLength: 10 })))
      .map(([keys, values, extra]) => {
        const q = new URLSearchParams();
        keys.forEach((k, i) => q.append(k, values[i % values.length]));
        if (extra) q.append(extra, values[11]);
        return q.toString();
      });

  /** Path parameters: the real id most of the time, else another uuid or anything. */
  const param = (name: string, path: string): fc.Arbitrary<string> => {
    const real: Record<string, string> = {
      returnId, requestId: '00000000-0000-4000-8000-000000000000', template: 'CLAIM_RECEIVED', locale: 'en', deliveryId: `msg_${'0'.repeat(32)}`,
      id: path.startsWith('/orders') ? orderId : path.startsWith('/returns') ? returnId : s.id,
    };
    return fc.oneof({ weight: 4, arbitrary: fc.constant(real[name] ?? 'x') }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) });
  };

  const header = fc.option(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 300 }).map((k) => k.replace(/[^\x21-\x7e]/g, 'k')));

  it('every route listed in /docs-json answers arbitrary input without a 5xx; a 4xx stores nothing', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const all = Object.values(seeds());
    const failures: string[] = [];
    let requests = 0;
    const statuses: Record<string, number> = {};
    for (const op of operations) {
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const seed = seeds()[`${op.method} ${op.path}`];
      const input = fc.record({
        params: fc.tuple(...names.map((n) => param(n, op.path))) as fc.Arbitrary<string[]>,
        query: query(op.query),
        body: ['get', 'delete'].includes(op.method) ? fc.constant(undefined) : body(seed, all),
        key: header,
        ops: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ params, query: qs, body: b, key, ops }) => {
          let i = 0;
          const url = op.path.replace(/\{\w+\}/g, () => encodeURIComponent(params[i++])) + (qs ? `?${qs}` : '');
          const credential = op.path.startsWith('/supplier-api') ? s.callbackApiKey : ops ? t.opsApiKey : t.apiKey;
          await quiet();
          const before = await counts();
          const res = await sys.http.request({
            method: op.method, url, data: b === undefined ? undefined : JSON.stringify(b),
            headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
            transformRequest: (d) => d,
          });
          requests++;
          statuses[String(res.status)] = (statuses[String(res.status)] ?? 0) + 1;
          const what = `${op.method.toUpperCase()} ${url.slice(0, 300)} ${JSON.stringify(b)?.slice(0, 500)} -> ${res.status} ${JSON.stringify(res.data).slice(0, 300)}`;
          if (res.status >= 500) throw new Error(`5xx: ${what}`);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            const after = await counts();
            if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`a ${res.status} changed row counts: ${what}\n${JSON.stringify(Object.entries(after).filter(([k, n]) => before[k] !== n))}`);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      ).catch((e: Error) => failures.push(`${op.method} ${op.path}: ${(e.cause as Error | undefined)?.message ?? ''}\n${e.message.split('\n').filter((l) => /seed/.test(l)).join('\n')}`));
    }
    // The figures of the run, for the report: how many requests, and what they got.
    process.stdout.write(`fuzz: ${operations.length} routes, ${requests} requests, statuses ${JSON.stringify(statuses)}\n`);
    expect(failures).toEqual([]);
  }, 300_000);
});
