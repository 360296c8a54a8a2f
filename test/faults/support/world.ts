import { randomUUID } from 'crypto';
import type { AxiosInstance } from 'axios';
import type { FakeShopify, ReceivedWebhook, SupplierReceiver } from '@app/testing';

/** What the helpers below need of a running system, in-process or as child processes. */
export interface World {
  http: AxiosInstance;
  shop: FakeShopify;
  supplier: SupplierReceiver;
}

export const DAY = 86_400_000;
export const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Tenant {
  tenantId: string;
  apiKey: string;
  opsApiKey: string;
}

export interface Supplier {
  id: string;
  signingSecret: string;
  callbackApiKey: string;
}

export interface Order {
  id: string;
  externalId: string;
  lines: { id: string; externalId: string }[];
}

/** Retries a request while the service is down or restarting (connection refused/reset, 5xx). */
export async function persistently<T extends { status: number }>(call: () => Promise<T>, what: string, deadlineMs = 120_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await call();
      if (res.status < 500) return res;
      if (Date.now() > deadline) return res;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String((err as Error)?.message ?? err)}`);
    }
    await sleep(Math.min(50 * attempt, 1_000));
  }
}

/** A tenant whose store is the fake Shopify (or `storeUrl`), with an ops key. */
export async function createTenant(w: World, policy: Record<string, unknown> = {}, storeUrl = w.shop.url): Promise<Tenant> {
  const res = await persistently(() => w.http.post('/tenants', {
    name: 'Bench Dropship', brandName: 'Bench', senderEmail: 'care@bench.test', shopCurrency: 'EUR',
    store: { url: storeUrl, accessToken: w.shop.accessToken },
    policy: { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', ...policy },
  }), 'create tenant');
  if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

/** Links a supplier whose webhooks go to the world's SupplierReceiver; a long SLA keeps reminders out of the way. */
export async function linkSupplier(w: World, t: Tenant, policy: Record<string, unknown> = {}): Promise<Supplier> {
  const res = await persistently(() => w.http.post('/suppliers', {
    name: `Supplier ${randomUUID().slice(0, 8)}`, webhookUrl: w.supplier.url('/webhooks'),
    policy: { returnWindowDays: 30, evidenceRequiredFor: [], slaHours: 1440, ...policy },
  }, auth(t.apiKey)), 'link supplier');
  if (res.status !== 201) throw new Error(`link supplier: ${res.status} ${JSON.stringify(res.data)}`);
  w.supplier.secret = res.data.signingSecret;
  return res.data;
}

let orderSeq = 0;

/** Registers `n` orders (one line of 2 × 19.99 EUR + 4.95 shipping), with us and in the fake Shopify. */
export async function registerOrders(w: World, t: Tenant, s: Supplier, n: number, opts: { now?: Date; concurrency?: number; /** null: not delivered yet */ deliveredDaysAgo?: number | null; promisedDaysAgo?: number } = {}): Promise<Order[]> {
  const now = (opts.now ?? new Date()).getTime();
  const out: Order[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const k = `${process.pid}${Date.now() % 1e7}${++orderSeq}`;
      const externalId = `gid://shopify/Order/${k}`;
      const lines = [{ externalId: `gid://shopify/LineItem/${k}1`, sku: 'SKU-1', title: 'Ceramic vase', quantity: 2, unitPriceMinor: 1999, supplierId: s.id }];
      const res = await persistently(() => w.http.post('/orders', {
        externalId, currency: 'EUR', locale: 'en', customer: { email: `customer${k}@example.test`, name: 'Sam' },
        lines, shippingMinor: 495, taxMinor: 0, orderedAt: new Date(now - 20 * DAY).toISOString(),
        deliveredAt: opts.deliveredDaysAgo === null ? undefined : new Date(now - (opts.deliveredDaysAgo ?? 2) * DAY).toISOString(),
        promisedAt: opts.promisedDaysAgo !== undefined ? new Date(now - opts.promisedDaysAgo * DAY).toISOString() : undefined,
      }, auth(t.apiKey)), 'register order');
      if (res.status !== 201) throw new Error(`register order: ${res.status} ${JSON.stringify(res.data)}`);
      w.shop.addOrder({ id: externalId, currency: 'EUR', lineItems: lines.map((l) => ({ id: l.externalId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })), shippingMinor: 495 });
      out[i] = { id: res.data.id, externalId, lines: res.data.lines };
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return out;
}

/**
 * Reports a return and insists until it is accepted: the Idempotency-Key makes
 * a retry after a crash or a lost answer return the same return, never a second one.
 */
export async function reportReturn(w: World, t: Tenant, body: Record<string, unknown>, key = randomUUID()): Promise<string> {
  const res = await persistently(() => w.http.post('/returns', body, { headers: { ...auth(t.apiKey).headers, 'idempotency-key': key } }), 'report return');
  if (res.status !== 202) throw new Error(`report return: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data.returnId;
}

export type Answer = Record<string, unknown> | undefined;

/** The answer a cooperative supplier gives at once, by webhook type. */
export function cooperativeAnswer(hook: { type?: string; data?: { amount?: { amountMinor?: number; currency?: string } } }): Answer {
  switch (hook.type) {
    case 'rma.credit_requested':
      return { decision: 'APPROVED', amountMinor: hook.data?.amount?.amountMinor, currency: hook.data?.amount?.currency, rmaNumber: 'RMA-AUTO' };
    case 'rma.reship_requested':
      return { decision: 'REPLACEMENT_SHIPPED', trackingNumber: 'TRACK-AUTO' };
    case 'order.cancel_requested':
      return { decision: 'APPROVED' };
    default:
      return undefined; // reminders and anything else: nothing to answer
  }
}

/**
 * A supplier that answers every request webhook at once through the callback
 * API (watching the SupplierReceiver), retrying while the api is down. Each
 * request is answered once; a webhook delivered again is answered again (the
 * api must treat the same answer as a no-op).
 */
export class AutoSupplier {
  private cursor = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();
  readonly answered = new Map<string, number>();
  /** Time (ms since epoch) each request's webhook arrived, by request id. */
  readonly arrivedAt = new Map<string, number>();
  errors = 0;

  constructor(
    private readonly w: World,
    private readonly keyFor: (supplierId: string) => string,
    private readonly decide: (hook: { type?: string; data?: { requestId?: string; amount?: { amountMinor?: number; currency?: string } } }) => Answer = cooperativeAnswer,
  ) {}

  start(intervalMs = 5): this {
    const tick = () => {
      while (this.cursor < this.w.supplier.requests.length) this.onHook(this.w.supplier.requests[this.cursor++]);
      this.timer = setTimeout(tick, intervalMs);
    };
    tick();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.inFlight);
  }

  private onHook(hook: ReceivedWebhook): void {
    const json = hook.json as { type?: string; data?: { requestId?: string; supplierId?: string; amount?: { amountMinor?: number; currency?: string } } } | undefined;
    const requestId = json?.data?.requestId;
    const body = json ? this.decide(json) : undefined;
    if (!requestId || !body) return;
    if (!this.arrivedAt.has(requestId)) this.arrivedAt.set(requestId, hook.receivedAt.getTime());
    const p = (async () => {
      const res = await persistently(() => this.w.http.post(`/supplier-api/requests/${requestId}/answer`, body, auth(this.keyFor(json!.data!.supplierId!))), `answer ${requestId}`)
        .catch(() => undefined);
      if (res && (res.status === 200 || res.status === 409)) this.answered.set(requestId, (this.answered.get(requestId) ?? 0) + 1);
      else this.errors++;
    })();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
