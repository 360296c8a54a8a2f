import { Webhook } from 'standardwebhooks';
import { System, waitFor } from './system';

export const DAY = 86_400_000;

export interface Tenant {
  tenantId: string;
  apiKey: string;
  opsApiKey: string;
}

export interface LinkedSupplier {
  id: string;
  signingSecret: string;
  callbackApiKey: string;
}

export const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

export async function createTenant(sys: System, policy: Record<string, unknown> = {}): Promise<Tenant> {
  const res = await sys.http.post('/tenants', {
    name: 'Acme Dropship', brandName: 'Acme', senderEmail: 'care@acme.test', shopCurrency: 'EUR',
    store: { url: sys.shop.url, accessToken: sys.shop.accessToken },
    policy: { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', ...policy },
  });
  if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

export async function linkSupplier(sys: System, t: Tenant, policy: Record<string, unknown> = {}, name = 'Shenzhen Goods'): Promise<LinkedSupplier> {
  const res = await sys.http.post('/suppliers', {
    name, webhookUrl: sys.supplier.url('/webhooks'),
    policy: { returnWindowDays: 30, evidenceRequiredFor: ['DAMAGED'], slaHours: 48, ...policy },
  }, auth(t.apiKey));
  if (res.status !== 201) throw new Error(`link supplier: ${res.status} ${JSON.stringify(res.data)}`);
  sys.supplier.secret = res.data.signingSecret;
  return res.data;
}

let orderSeq = 1000;

/** Registers an order with us and seeds the same order in the fake Shopify. */
export async function registerOrder(sys: System, t: Tenant, suppliers: LinkedSupplier[], opts: { deliveredDaysAgo?: number; promisedDaysAgo?: number; locale?: string } = {}) {
  const n = ++orderSeq;
  const externalId = `gid://shopify/Order/${n}`;
  const lines = suppliers.map((s, i) => ({
    externalId: `gid://shopify/LineItem/${n}${i}`, sku: `SKU-${i}`, title: i === 0 ? 'Ceramic vase' : `Item ${i}`, quantity: 2, unitPriceMinor: 1999, supplierId: s.id,
  }));
  const now = sys.clock.now().getTime();
  const res = await sys.http.post('/orders', {
    externalId, currency: 'EUR', locale: opts.locale ?? 'en', customer: { email: `customer${n}@example.test`, name: 'Sam' },
    lines, shippingMinor: 495, taxMinor: 0, orderedAt: new Date(now - 20 * DAY).toISOString(),
    promisedAt: opts.promisedDaysAgo !== undefined ? new Date(now - opts.promisedDaysAgo * DAY).toISOString() : undefined,
    deliveredAt: opts.deliveredDaysAgo !== undefined ? new Date(now - opts.deliveredDaysAgo * DAY).toISOString() : undefined,
  }, auth(t.apiKey));
  if (res.status !== 201) throw new Error(`register order: ${res.status} ${JSON.stringify(res.data)}`);
  sys.shop.addOrder({ id: externalId, currency: 'EUR', lineItems: lines.map((l) => ({ id: l.externalId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })), shippingMinor: 495 });
  return res.data as { id: string; externalId: string; customer: { email: string }; lines: { id: string; externalId: string }[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CaseJson = any;

export async function sagaOf(sys: System, t: Tenant, returnId: string): Promise<CaseJson> {
  const res = await sys.http.get(`/returns/${returnId}`, auth(t.apiKey));
  return res.data;
}

export async function waitForState(sys: System, t: Tenant, returnId: string, state: string | string[], timeoutMs = 20_000): Promise<CaseJson> {
  const states = Array.isArray(state) ? state : [state];
  let last: { state?: string } = {};
  return waitFor(async () => {
    last = await sagaOf(sys, t, returnId);
    return states.includes(last.state ?? '') ? last : undefined;
  }, { timeoutMs, message: `return ${returnId} to reach ${states.join('|')} (last: ${JSON.stringify(last.state)})` });
}

/** The supplier's webhook for this return, verified with the standardwebhooks package. */
export async function webhookFor(sys: System, returnOrderId: string, type = 'rma.credit_requested') {
  const req = await waitFor(() => sys.supplier.requests.find((r) => (r.json as CaseJson)?.type === type && (r.json as CaseJson)?.data?.orderId === returnOrderId), { timeoutMs: 20_000, message: `${type} webhook for ${returnOrderId}` });
  const verified = signedPayload(sys, req) as { data: { requestId: string; answerUrl: string; amount: { amountMinor: number } } };
  return { req, payload: verified };
}

/**
 * Checks a webhook's Standard Webhooks signature and returns its payload. The
 * signed timestamp is checked against the system's (manual) clock, which tests
 * move ahead of the wall clock the receiver's own check uses.
 */
export function signedPayload(sys: System, req: { body: string; headers: Record<string, string> }): unknown {
  const ts = Number(req.headers['webhook-timestamp']);
  if (!(Math.abs(sys.clock.now().getTime() / 1000 - ts) <= 300)) throw new Error(`webhook timestamp ${ts} is not within 5 minutes of the system clock`);
  const expected = new Webhook(sys.supplier.secret!).sign(req.headers['webhook-id'], new Date(ts * 1000), req.body);
  if (!(req.headers['webhook-signature'] ?? '').split(' ').includes(expected)) throw new Error('webhook signature does not verify');
  return JSON.parse(req.body);
}

export async function answer(sys: System, s: LinkedSupplier, requestId: string, body: Record<string, unknown>) {
  return sys.http.post(`/supplier-api/requests/${requestId}/answer`, body, auth(s.callbackApiKey));
}

/** A carrier / warehouse scan or a customer action on a return: POST /returns/:id/events. */
export async function trackEvent(sys: System, t: Tenant, returnId: string, body: Record<string, unknown>) {
  return sys.http.post(`/returns/${returnId}/events`, body, auth(t.apiKey));
}

/** Moves every service's clock and runs what became due (saga timers, retries); the effects then flow asynchronously. */
export async function advance(sys: System, ms: number): Promise<void> {
  sys.clock.advance(ms);
  await sys.runDueTasks();
}

/** The reminder webhook sent for one request (its payload carries only the request id). */
export async function reminderFor(sys: System, requestId: string) {
  return waitFor(() => sys.supplier.requests.find((r) => (r.json as CaseJson)?.type === 'rma.reminder' && (r.json as CaseJson)?.data?.requestId === requestId), { timeoutMs: 20_000, message: `reminder for ${requestId}` });
}

/** The refused fields of a 400 (RFC 9457 problem details: `errors: [{ field, message }]`), each once, in order. */
export const fieldsOf = (problem: { errors?: { field: string }[] } | undefined): string[] => [...new Set((problem?.errors ?? []).map((e) => e.field))];
