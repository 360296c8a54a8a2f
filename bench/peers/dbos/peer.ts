/**
 * The DBOS peer (issue 12, ADR 010): the same DAMAGED return our five services
 * run, written as a DBOS Transact user would write it: one Node process, one
 * durable workflow on Postgres, each side effect a checkpointed step, the
 * supplier's callback received durably with DBOS.send / DBOS.recv.
 *
 * It speaks the slice of our public API the bench driver uses (tenants,
 * suppliers, orders, returns, the supplier's answer endpoint), so the same
 * driver, AutoSupplier, fake Shopify and SMTP sink play the outside world.
 * Environment: DATABASE_URL (app tables and the DBOS system schema), HTTP_PORT,
 * HTTP_HOST, PUBLIC_API_URL, SMTP_HOST, SMTP_PORT, LOG_LEVEL.
 */
import { createHash, randomBytes, randomUUID } from 'crypto';
import * as http from 'http';
import { DBOS } from '@dbos-inc/dbos-sdk';
import axios from 'axios';
import express, { NextFunction, Request, Response } from 'express';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { Webhook } from 'standardwebhooks';

const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};
const DATABASE_URL = env('DATABASE_URL');
const PORT = Number(env('HTTP_PORT', '3000'));
const HOST = env('HTTP_HOST', '127.0.0.1');
const PUBLIC_URL = env('PUBLIC_API_URL', `http://${HOST}:${PORT}`);
/** How long the workflow waits for the supplier before escalating (our supplier SLA default: 72 h). */
const SUPPLIER_SLA_SECONDS = Number(env('SUPPLIER_SLA_SECONDS', String(72 * 3600)));
const ANSWER_TOPIC = 'supplier-answer';

// ---------------------------------------------------------------------------------------------
// Application database (DBOS keeps its own tables in the `dbos` schema of the same database)
// ---------------------------------------------------------------------------------------------

const db = new Pool({ connectionString: DATABASE_URL, max: 10 });
db.on('error', () => undefined); // an idle client dropped by the server; the next query reconnects

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tenants (
  id uuid PRIMARY KEY, name text NOT NULL, brand_name text NOT NULL, sender_email text NOT NULL,
  api_key text NOT NULL UNIQUE, store_url text NOT NULL, store_token text NOT NULL, currency text NOT NULL);
CREATE TABLE IF NOT EXISTS suppliers (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants, name text NOT NULL, webhook_url text NOT NULL,
  signing_secret text NOT NULL, callback_api_key text NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS orders (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants, external_id text NOT NULL, currency text NOT NULL,
  locale text NOT NULL, customer_email text NOT NULL, customer_name text NOT NULL, lines jsonb NOT NULL,
  shipping_minor int NOT NULL, tax_minor int NOT NULL, delivered_at timestamptz, UNIQUE (tenant_id, external_id));
CREATE TABLE IF NOT EXISTS returns (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants, order_id uuid NOT NULL REFERENCES orders,
  supplier_id uuid NOT NULL REFERENCES suppliers, event_type text NOT NULL, reason text, evidence_urls jsonb NOT NULL,
  amount_minor int NOT NULL, currency text NOT NULL, status text NOT NULL, supplier_decision text, refund_id text,
  created_at timestamptz NOT NULL DEFAULT now(), closed_at timestamptz);
`;

interface OrderLine {
  id: string;
  externalId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPriceMinor: number;
  supplierId: string;
}

/** Everything the workflow's steps need about one case, read once by its first step. */
interface Case {
  returnId: string;
  reason: string | null;
  evidenceUrls: string[];
  amountMinor: number;
  currency: string;
  order: { externalId: string; lines: OrderLine[]; shippingMinor: number; customerEmail: string; customerName: string };
  tenant: { brandName: string; senderEmail: string; storeUrl: string; storeToken: string };
  supplier: { id: string; webhookUrl: string; signingSecret: string };
}

interface ReturnInput {
  returnId: string;
  tenantId: string;
  orderId: string;
  reason: string | null;
  evidenceUrls: string[];
}

interface SupplierAnswer {
  decision: 'APPROVED' | 'PARTIALLY_APPROVED' | 'REJECTED' | 'NEEDS_EVIDENCE' | 'REPLACEMENT_SHIPPED';
  amountMinor?: number;
  currency?: string;
  rmaNumber?: string;
}

// ---------------------------------------------------------------------------------------------
// Steps: each is checkpointed by DBOS once it returns, and written so that a retry is harmless
// ---------------------------------------------------------------------------------------------

/** Records the return (a no-op when a recovered workflow runs it again) and reads the case. */
async function recordReturn(input: ReturnInput): Promise<Case> {
  const { rows } = await db.query(
    `WITH o AS (SELECT * FROM orders WHERE id = $2 AND tenant_id = $1),
          ins AS (
            INSERT INTO returns (id, tenant_id, order_id, supplier_id, event_type, reason, evidence_urls, amount_minor, currency, status)
            SELECT $3, o.tenant_id, o.id, (o.lines->0->>'supplierId')::uuid, 'DAMAGED', $4, $5::jsonb,
                   (SELECT sum((l->>'quantity')::int * (l->>'unitPriceMinor')::int) FROM jsonb_array_elements(o.lines) l) + o.shipping_minor,
                   o.currency, 'AWAITING_SUPPLIER'
            FROM o ON CONFLICT (id) DO NOTHING)
     SELECT o.*, t.brand_name, t.sender_email, t.store_url, t.store_token, s.id AS supplier_id, s.webhook_url, s.signing_secret
     FROM o JOIN tenants t ON t.id = o.tenant_id JOIN suppliers s ON s.id = (o.lines->0->>'supplierId')::uuid`,
    [input.tenantId, input.orderId, input.returnId, input.reason, JSON.stringify(input.evidenceUrls)],
  );
  const o = rows[0];
  if (!o) throw new Error(`order ${input.orderId} is gone`);
  const lines = o.lines as OrderLine[];
  return {
    returnId: input.returnId,
    reason: input.reason,
    evidenceUrls: input.evidenceUrls,
    amountMinor: lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0) + o.shipping_minor,
    currency: o.currency,
    order: { externalId: o.external_id, lines, shippingMinor: o.shipping_minor, customerEmail: o.customer_email, customerName: o.customer_name },
    tenant: { brandName: o.brand_name, senderEmail: o.sender_email, storeUrl: o.store_url, storeToken: o.store_token },
    supplier: { id: o.supplier_id, webhookUrl: o.webhook_url, signingSecret: o.signing_secret },
  };
}

// Pooled SMTP connections, as our notifications service uses: a handshake per e-mail costs more than the message.
const mailer = createTransport({
  host: env('SMTP_HOST', '127.0.0.1'),
  port: Number(env('SMTP_PORT', '25')),
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: 4,
  maxMessages: 500,
});

const money = (minor: number, currency: string) => {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
};

/** One e-mail to the customer; the Message-ID is fixed per case and kind, so a resend after a crash is recognisable. */
async function emailCustomer(c: Case, kind: 'claim-received' | 'refund-issued' | 'escalated', refundId?: string): Promise<void> {
  const amount = `${money(c.amountMinor, c.currency)} ${c.currency}`;
  const text = {
    'claim-received': `Hi ${c.order.customerName},\n\nwe are sorry your order arrived damaged. We have your claim and asked our supplier to confirm; you will hear from us again soon.\n\n${c.tenant.brandName}`,
    'refund-issued': `Hi ${c.order.customerName},\n\nwe refunded ${amount} for your damaged order (refund ${refundId}). It reaches your account in a few days.\n\n${c.tenant.brandName}`,
    escalated: `Hi ${c.order.customerName},\n\nyour claim needs a closer look; our team will get back to you.\n\n${c.tenant.brandName}`,
  }[kind];
  const subject = { 'claim-received': 'We received your claim', 'refund-issued': 'Your refund is on its way', escalated: 'We are reviewing your claim' }[kind];
  await mailer.sendMail({
    from: `${c.tenant.brandName} <${c.tenant.senderEmail}>`,
    to: c.order.customerEmail,
    subject,
    text,
    messageId: `<${c.returnId}.${kind}@dbos-peer>`,
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The credit request to the supplier, signed the Standard Webhooks way; the webhook-id is fixed per request so the supplier drops a redelivery. */
async function requestSupplierCredit(c: Case): Promise<void> {
  const now = new Date();
  const body = JSON.stringify({
    type: 'rma.credit_requested',
    timestamp: now.toISOString(),
    data: {
      requestId: c.returnId,
      supplierId: c.supplier.id,
      kind: 'CREDIT',
      eventType: 'DAMAGED',
      orderId: c.order.externalId,
      lines: c.order.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, lineId: l.externalId })),
      amount: { amountMinor: c.amountMinor, currency: c.currency, decimal: money(c.amountMinor, c.currency) },
      evidenceUrls: c.evidenceUrls,
      reason: c.reason,
      answerBy: new Date(now.getTime() + SUPPLIER_SLA_SECONDS * 1000).toISOString(),
      answerUrl: `${PUBLIC_URL}/supplier-api/requests/${c.returnId}/answer`,
    },
  });
  const id = `msg_${c.returnId.replace(/-/g, '')}`;
  const res = await axios.post(c.supplier.webhookUrl, body, {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(c.supplier.signingSecret).sign(id, now, body),
    },
    httpAgent: keepAlive,
    timeout: 10_000,
    validateStatus: () => true,
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`supplier webhook: HTTP ${res.status}`); // the step retries
}

const REFUND_CREATE = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
    userErrors { field message }
  }
}`;

class RefundRejected extends Error {}

/** Shopify `refundCreate`, keyed by the return: a retried step can never refund twice. */
async function refundCustomer(c: Case): Promise<string> {
  const input = {
    orderId: c.order.externalId,
    note: `Damaged in transit (return ${c.returnId})`,
    notify: false,
    currency: c.currency,
    refundLineItems: c.order.lines.map((l) => ({ lineItemId: l.externalId, quantity: l.quantity, restockType: 'NO_RESTOCK' })),
    ...(c.order.shippingMinor > 0 ? { shipping: { amount: money(c.order.shippingMinor, c.currency) } } : {}),
    transactions: [{ orderId: c.order.externalId, gateway: 'shopify_payments', kind: 'REFUND', amount: money(c.amountMinor, c.currency) }],
  };
  const res = await axios.post(
    `${c.tenant.storeUrl.replace(/\/$/, '')}/admin/api/2026-04/graphql.json`,
    { query: REFUND_CREATE, variables: { input, idempotencyKey: c.returnId } },
    { headers: { 'X-Shopify-Access-Token': c.tenant.storeToken }, httpAgent: keepAlive, timeout: 20_000, validateStatus: () => true },
  );
  if (res.status === 401 || res.status === 403) throw new RefundRejected(`store refused credentials (HTTP ${res.status})`);
  if (res.status !== 200) throw new Error(`Shopify: HTTP ${res.status}`);
  const errors = res.data?.errors as { message: string; extensions?: { code?: string } }[] | undefined;
  if (errors?.length) {
    const code = errors[0].extensions?.code ?? '';
    const transient = ['THROTTLED', 'INTERNAL_SERVER_ERROR', 'IDEMPOTENCY_CONCURRENT_REQUEST'].includes(code);
    throw transient ? new Error(`${code}: ${errors[0].message}`) : new RefundRejected(`${code}: ${errors[0].message}`);
  }
  const payload = res.data?.data?.refundCreate;
  if (payload?.userErrors?.length) throw new RefundRejected(payload.userErrors.map((e: { message: string }) => e.message).join('; '));
  if (!payload?.refund?.id) throw new Error('Shopify: malformed response');
  return payload.refund.id as string;
}

async function closeReturn(returnId: string, status: string, decision: string | null, refundId: string | null): Promise<void> {
  await db.query(`UPDATE returns SET status = $2, supplier_decision = $3, refund_id = $4, closed_at = coalesce(closed_at, now()) WHERE id = $1`, [returnId, status, decision, refundId]);
}

// ---------------------------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------------------------

/** External calls retry with backoff (transient failures); a refund the store refuses does not. */
const external = { retriesAllowed: true, intervalSeconds: 1, maxAttempts: 8, backoffRate: 2 };

async function damagedReturnWorkflow(input: ReturnInput): Promise<string> {
  const c = await DBOS.runStep(() => recordReturn(input), { name: 'recordReturn' });
  await DBOS.runStep(() => emailCustomer(c, 'claim-received'), { name: 'emailClaimReceived', ...external });
  await DBOS.runStep(() => requestSupplierCredit(c), { name: 'requestSupplierCredit', ...external });
  // The durable wait: the message sent by the answer endpoint is stored until this workflow reads it, across restarts.
  const answer = await DBOS.recv<SupplierAnswer>(ANSWER_TOPIC, SUPPLIER_SLA_SECONDS);
  if (!answer || (answer.decision !== 'APPROVED' && answer.decision !== 'PARTIALLY_APPROVED')) {
    await DBOS.runStep(() => emailCustomer(c, 'escalated'), { name: 'emailEscalated', ...external });
    await DBOS.runStep(() => closeReturn(c.returnId, 'ESCALATED', answer?.decision ?? 'NO_ANSWER', null), { name: 'closeReturn' });
    return 'ESCALATED';
  }
  let refundId: string;
  try {
    refundId = await DBOS.runStep(() => refundCustomer(c), { name: 'refundCreate', ...external, shouldRetry: (e) => !(e instanceof RefundRejected) });
  } catch (err) {
    await DBOS.runStep(() => closeReturn(c.returnId, 'ESCALATED', answer.decision, null), { name: 'closeReturn' });
    DBOS.logger.warn(`return ${c.returnId}: refund failed: ${String(err)}`);
    return 'ESCALATED';
  }
  await DBOS.runStep(() => emailCustomer(c, 'refund-issued', refundId), { name: 'emailRefundIssued', ...external });
  await DBOS.runStep(() => closeReturn(c.returnId, 'COMPLETED', answer.decision, refundId), { name: 'closeReturn' });
  return 'COMPLETED';
}

const damagedReturn = DBOS.registerWorkflow(damagedReturnWorkflow, { name: 'damagedReturn' });

// ---------------------------------------------------------------------------------------------
// HTTP: the slice of the public API the driver uses
// ---------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const bearer = (req: Request) => /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1];
/** A return id derived from the tenant and the Idempotency-Key: a retried intake starts (and finds) the same workflow. */
const returnIdFor = (tenantId: string, key: string) => {
  const h = createHash('sha256').update(`${tenantId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const wrap = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => void fn(req, res).catch(next);

async function tenantOf(req: Request, res: Response): Promise<string | undefined> {
  const key = bearer(req);
  const { rows } = key ? await db.query('SELECT id FROM tenants WHERE api_key = $1', [key]) : { rows: [] };
  if (!rows[0]) res.status(401).json({ message: 'unknown API key' });
  return rows[0]?.id;
}

export function buildApp(): express.Express {
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.get('/health', (_req, res) => void res.json({ status: 'ok', peer: 'dbos' }));

  app.post('/tenants', wrap(async (req, res) => {
    const b = req.body ?? {};
    if (!b.name || !b.senderEmail || !b.store?.url || !b.store?.accessToken || !/^[A-Z]{3}$/.test(b.shopCurrency ?? '')) return res.status(400).json({ message: 'name, senderEmail, store and shopCurrency are required' });
    const id = randomUUID();
    const apiKey = `sk_${randomBytes(24).toString('hex')}`;
    await db.query('INSERT INTO tenants (id, name, brand_name, sender_email, api_key, store_url, store_token, currency) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      [id, b.name, b.brandName ?? b.name, b.senderEmail, apiKey, b.store.url, b.store.accessToken, b.shopCurrency]);
    res.status(201).json({ tenantId: id, apiKey, opsApiKey: apiKey });
  }));

  app.post('/suppliers', wrap(async (req, res) => {
    const tenantId = await tenantOf(req, res);
    if (!tenantId) return;
    const b = req.body ?? {};
    if (!b.name || !/^https?:\/\//.test(b.webhookUrl ?? '')) return res.status(400).json({ message: 'name and webhookUrl are required' });
    const supplier = { id: randomUUID(), signingSecret: `whsec_${randomBytes(24).toString('base64')}`, callbackApiKey: `sup_${randomBytes(24).toString('hex')}` };
    await db.query('INSERT INTO suppliers (id, tenant_id, name, webhook_url, signing_secret, callback_api_key) VALUES ($1,$2,$3,$4,$5,$6)',
      [supplier.id, tenantId, b.name, b.webhookUrl, supplier.signingSecret, supplier.callbackApiKey]);
    res.status(201).json(supplier);
  }));

  app.post('/orders', wrap(async (req, res) => {
    const tenantId = await tenantOf(req, res);
    if (!tenantId) return;
    const b = req.body ?? {};
    const lines = Array.isArray(b.lines) ? b.lines : [];
    const valid = b.externalId && /^[A-Z]{3}$/.test(b.currency ?? '') && b.customer?.email && lines.length > 0
      && lines.every((l: OrderLine) => l.externalId && Number.isInteger(l.quantity) && l.quantity > 0 && Number.isInteger(l.unitPriceMinor) && UUID.test(l.supplierId ?? ''));
    if (!valid) return res.status(400).json({ message: 'externalId, currency, customer.email and lines are required' });
    const id = randomUUID();
    const stored: OrderLine[] = lines.map((l: OrderLine) => ({ id: randomUUID(), externalId: l.externalId, sku: l.sku, title: l.title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, supplierId: l.supplierId }));
    await db.query(
      `INSERT INTO orders (id, tenant_id, external_id, currency, locale, customer_email, customer_name, lines, shipping_minor, tax_minor, delivered_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [id, tenantId, b.externalId, b.currency, b.locale ?? 'en', b.customer.email, b.customer.name ?? '', JSON.stringify(stored), b.shippingMinor ?? 0, b.taxMinor ?? 0, b.deliveredAt ?? null],
    );
    res.status(201).json({ id, lines: stored.map((l) => ({ id: l.id, externalId: l.externalId })) });
  }));

  // Intake: validate, then start the workflow under an id derived from the Idempotency-Key, and answer 202.
  app.post('/returns', wrap(async (req, res) => {
    const tenantId = await tenantOf(req, res);
    if (!tenantId) return;
    const b = req.body ?? {};
    const key = req.header('idempotency-key');
    if (!key || key.length > 255) return res.status(400).json({ message: 'Idempotency-Key header is required' });
    if (!UUID.test(b.orderId ?? '')) return res.status(400).json({ message: 'orderId must be a UUID' });
    if (b.eventType !== 'DAMAGED') return res.status(422).json({ message: 'this peer handles DAMAGED returns only' });
    if (b.resolution !== undefined && b.resolution !== 'REFUND') return res.status(422).json({ message: 'resolution must be REFUND' });
    const evidenceUrls = Array.isArray(b.evidenceUrls) ? b.evidenceUrls.filter((u: unknown) => typeof u === 'string') : [];
    if (!evidenceUrls.length) return res.status(422).json({ message: 'a DAMAGED claim needs photo evidence' });
    const { rows } = await db.query('SELECT 1 FROM orders WHERE id = $1 AND tenant_id = $2', [b.orderId, tenantId]);
    if (!rows.length) return res.status(404).json({ message: 'order not found' });
    const returnId = returnIdFor(tenantId, key);
    await DBOS.startWorkflow(damagedReturn, { workflowID: returnId })({ returnId, tenantId, orderId: b.orderId, reason: typeof b.reason === 'string' ? b.reason : null, evidenceUrls });
    res.status(202).json({ returnId });
  }));

  // The supplier's answer: authenticated by its callback key, handed to the waiting workflow exactly once.
  app.post('/supplier-api/requests/:requestId/answer', wrap(async (req, res) => {
    const key = bearer(req);
    const requestId = String(req.params.requestId);
    if (!key || !UUID.test(requestId)) return res.status(401).json({ message: 'unknown API key' });
    const { rows } = await db.query('SELECT 1 FROM returns r JOIN suppliers s ON s.id = r.supplier_id WHERE r.id = $1 AND s.callback_api_key = $2', [requestId, key]);
    if (!rows.length) return res.status(404).json({ message: 'no such request for this supplier' });
    const b = req.body ?? {};
    const decisions = ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_EVIDENCE', 'REPLACEMENT_SHIPPED'];
    if (!decisions.includes(b.decision)) return res.status(400).json({ message: `decision must be one of ${decisions.join(', ')}` });
    if (b.amountMinor !== undefined && !(Number.isInteger(b.amountMinor) && b.amountMinor >= 0)) return res.status(400).json({ message: 'amountMinor must be a non-negative integer' });
    const answer: SupplierAnswer = { decision: b.decision, amountMinor: b.amountMinor, currency: b.currency, rmaNumber: b.rmaNumber };
    // The idempotency key makes a repeated answer (a retried callback) one message, not two.
    await DBOS.send(requestId, answer, ANSWER_TOPIC, `answer-${requestId}`);
    res.status(200).json({ requestId, status: 'RECORDED' });
  }));

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    DBOS.logger.error(err);
    res.status(500).json({ message: 'internal error' });
  });
  return app;
}

async function main(): Promise<void> {
  await db.query(SCHEMA);
  DBOS.setConfig({ name: 'returns-dbos-peer', applicationVersion: '1', systemDatabaseUrl: DATABASE_URL, logLevel: env('LOG_LEVEL', 'warn') });
  await DBOS.launch();
  const server = buildApp().listen(PORT, HOST);
  server.keepAliveTimeout = 65_000;
  const stop = async () => {
    server.close();
    await DBOS.shutdown();
    mailer.close();
    await db.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
