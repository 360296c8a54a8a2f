/**
 * The outside world for a local run: a fake Shopify, an SMTP sink and a demo
 * supplier. Logs JSON lines; logs READY once listening; runs until SIGTERM.
 *
 * The demo supplier behaves like a real one integrating per docs/suppliers.md:
 * the dropshipper hands it the link's id, signing secret and callback API key
 * (`POST /suppliers` on the control port, with the body `POST /suppliers` of
 * the api returned); it verifies each webhook with that link's secret and
 * answers at the webhook's `answerUrl` with that link's key. So any supplier
 * linked to its URL gets answered, whichever tenant linked it. A webhook that
 * arrives before its credentials waits for them (up to the 5 minutes a
 * signature stays fresh).
 *
 * Control port (DEMO_CONTROL_PORT, 4030), loopback only:
 *   GET  /            where everything listens: { shop, shopAccessToken, supplierWebhookUrl, smtp }
 *   POST /suppliers   the link's { id, signingSecret, callbackApiKey } (extra fields ignored)
 *   POST /shop/orders an order into the fake shop: an order as sent to `POST /orders`
 *                     ({ externalId, currency, lines[{ externalId, quantity, unitPriceMinor }], shippingMinor, taxMinor })
 *                     or the shop's own shape ({ id, currency, lineItems[{ id, quantity, unitPriceMinor }] })
 *   GET  /mail        e-mails received: [{ to, subject }]
 *   GET  /refunds     refunds the shop made
 */
import axios from 'axios';
import * as http from 'node:http';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { FakeOrderSeed, FakeShopify, ReceivedWebhook, SmtpSink, SupplierReceiver } from '../../libs/testing/src/fakes';

const SHOP_PORT = Number(process.env.DEMO_SHOP_PORT ?? 4010);
const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 2525);
const SUPPLIER_PORT = Number(process.env.DEMO_SUPPLIER_PORT ?? 4020);
const CONTROL_PORT = Number(process.env.DEMO_CONTROL_PORT ?? 4030);
const SHOP_TOKEN = 'shpat_demo';
/** A signature older than this no longer verifies (Standard Webhooks tolerance). */
const FRESH_MS = 5 * 60_000;

const log = pino({ base: { service: 'world' }, timestamp: pino.stdTimeFunctions.isoTime });

interface Credentials { secret: string; callbackApiKey: string }
type WebhookBody = { type?: string; data?: { requestId?: string; supplierId?: string; answerUrl?: string; amount?: { amountMinor: number; currency: string } } };

async function main() {
  const shop = new FakeShopify({ accessToken: SHOP_TOKEN });
  const smtp = new SmtpSink();
  const supplier = new SupplierReceiver();
  await Promise.all([shop.start(SHOP_PORT), smtp.start(SMTP_PORT), supplier.start(SUPPLIER_PORT)]);
  const where = { shop: shop.url, shopAccessToken: SHOP_TOKEN, supplierWebhookUrl: supplier.url('/webhooks'), smtp: `127.0.0.1:${smtp.port}` };

  const credentials = new Map<string, Credentials>();
  const control = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      try {
        if (req.method === 'GET' && req.url === '/') return reply(200, where);
        if (req.method === 'POST' && req.url === '/suppliers') {
          const { id, signingSecret, callbackApiKey } = JSON.parse(body);
          if (typeof id !== 'string' || typeof signingSecret !== 'string' || typeof callbackApiKey !== 'string') {
            return reply(400, { error: 'expected { id, signingSecret, callbackApiKey }: the body POST /suppliers returned' });
          }
          new Webhook(signingSecret); // throws on a malformed secret
          credentials.set(id, { secret: signingSecret, callbackApiKey });
          log.info({ supplierId: id }, 'demo supplier: credentials received');
          return reply(200, { supplierId: id, ok: true });
        }
        if (req.method === 'POST' && req.url === '/shop/orders') {
          const order = toShopOrder(JSON.parse(body));
          shop.addOrder(order);
          log.info({ orderId: order.id }, 'fake shop: order added');
          return reply(201, shop.order(order.id));
        }
        if (req.method === 'GET' && req.url === '/mail') return reply(200, smtp.messages.map((m) => ({ to: m.to, subject: m.subject })));
        if (req.method === 'GET' && req.url === '/refunds') return reply(200, shop.refunds);
        reply(404, { error: `no ${req.method} ${req.url}` });
      } catch (err) {
        reply(400, { error: (err as Error).message });
      }
    });
  });
  await new Promise<void>((r) => control.listen(CONTROL_PORT, '127.0.0.1', r));

  // The demo supplier approves every credit request (and ships every replacement) a moment after receiving it.
  const handled = new Set<number>();
  const waiting = new Set<number>();
  const answerPending = async () => {
    for (const r of supplier.requests) {
      if (handled.has(r.index)) continue;
      const body = r.json as WebhookBody | undefined;
      const supplierId = body?.data?.supplierId;
      const creds = supplierId ? credentials.get(supplierId) : undefined;
      if (!creds) {
        if (Date.now() - r.receivedAt.getTime() > FRESH_MS || !supplierId) {
          handled.add(r.index);
          log.warn({ supplierId, webhookId: r.headers['webhook-id'] }, 'demo supplier: webhook dropped, no credentials for its supplier link');
        } else if (!waiting.has(r.index)) {
          waiting.add(r.index);
          log.info({ supplierId }, `demo supplier: webhook waits for its link's credentials (POST them to http://127.0.0.1:${CONTROL_PORT}/suppliers)`);
        }
        continue;
      }
      handled.add(r.index);
      await answer(r, body!, creds);
    }
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    answerPending().finally(() => (busy = false));
  }, 300);

  log.info(where, `READY shop=${where.shop} smtp=${where.smtp} supplier=${where.supplierWebhookUrl} control=http://127.0.0.1:${CONTROL_PORT}`);
  const stop = async () => {
    clearInterval(timer);
    await Promise.allSettled([shop.stop(), smtp.stop(), supplier.stop(), new Promise((r) => control.close(r))]);
    log.info('world stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function answer(r: ReceivedWebhook, body: WebhookBody, creds: Credentials) {
  const data = body.data!;
  try {
    new Webhook(creds.secret).verify(r.body, r.headers);
  } catch (err) {
    log.warn({ supplierId: data.supplierId, webhookId: r.headers['webhook-id'], err: (err as Error).message }, 'demo supplier: webhook refused, signature does not verify');
    return;
  }
  if (!data.requestId || !data.answerUrl || body.type === 'rma.reminder' || body.type === 'rma.withdrawn') return;
  const decision = body.type === 'rma.reship_requested'
    ? { decision: 'REPLACEMENT_SHIPPED', trackingNumber: `DEMO-TRACK-${r.index}` }
    : { decision: 'APPROVED', rmaNumber: `RMA-DEMO-${r.index}`, amountMinor: data.amount?.amountMinor, currency: data.amount?.currency };
  await axios.post(data.answerUrl, decision, { headers: { authorization: `Bearer ${creds.callbackApiKey}` }, validateStatus: () => true, timeout: 10_000 })
    .then((res) => log.info({ supplierId: data.supplierId, requestId: data.requestId, status: res.status }, `demo supplier answered ${data.requestId}: HTTP ${res.status}`))
    .catch((err) => log.error({ supplierId: data.supplierId, requestId: data.requestId, err: err.message }, 'demo supplier could not answer'));
}

/** Our order format (as sent to `POST /orders`) or the shop's own seed format. */
function toShopOrder(o: Record<string, any>): FakeOrderSeed {
  if (Array.isArray(o.lineItems)) return o as FakeOrderSeed;
  if (typeof o.externalId !== 'string' || typeof o.currency !== 'string' || !Array.isArray(o.lines)) {
    throw new Error('expected an order as sent to POST /orders: { externalId, currency, lines: [{ externalId, quantity, unitPriceMinor }] }');
  }
  return {
    id: o.externalId, currency: o.currency, shippingMinor: o.shippingMinor ?? 0, taxMinor: o.taxMinor ?? 0,
    lineItems: o.lines.map((l: Record<string, any>) => ({ id: l.externalId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })),
  };
}

main().catch((err) => {
  log.fatal({ err: err.message }, 'world did not start');
  process.exit(1);
});
