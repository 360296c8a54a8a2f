/**
 * The outside world for a local run: a fake Shopify, an SMTP sink and a demo
 * supplier that answers every RMA request through the callback API. Prints
 * READY once listening; runs until SIGTERM.
 */
import axios from 'axios';
import { FakeShopify, SmtpSink, SupplierReceiver } from '../../libs/testing/src/fakes';

const SHOP_PORT = Number(process.env.DEMO_SHOP_PORT ?? 4010);
const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 2525);
const SUPPLIER_PORT = Number(process.env.DEMO_SUPPLIER_PORT ?? 4020);
const API = process.env.API_URL ?? 'http://127.0.0.1:3000';

async function main() {
  const shop = new FakeShopify({ accessToken: 'shpat_demo' });
  const smtp = new SmtpSink();
  const supplier = new SupplierReceiver();
  await Promise.all([startOn(shop, SHOP_PORT), startOn(smtp, SMTP_PORT), startOn(supplier, SUPPLIER_PORT)]);

  // The demo supplier approves every credit request a moment after receiving it.
  const keys = new Map<string, string>();
  const http = await import('http');
  const control = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/supplier-key' && req.method === 'POST') {
        const { secret, callbackApiKey, orders } = JSON.parse(body);
        supplier.secret = secret;
        keys.set('key', callbackApiKey);
        for (const o of orders ?? []) shop.addOrder(o);
        res.end('ok');
      } else if (req.url === '/shop-order' && req.method === 'POST') {
        shop.addOrder(JSON.parse(body));
        res.end('ok');
      } else if (req.url === '/mail') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(smtp.messages.map((m) => ({ to: m.to, subject: m.subject }))));
      } else if (req.url === '/refunds') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(shop.refunds));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => control.listen(Number(process.env.DEMO_CONTROL_PORT ?? 4030), '127.0.0.1', r));

  let answered = 0;
  setInterval(async () => {
    const pending = supplier.requests.slice(answered);
    answered = supplier.requests.length;
    for (const r of pending) {
      const p = r.json as { type?: string; data?: { requestId: string; amount?: { amountMinor: number; currency: string } } };
      if (!r.verified || !p?.data?.requestId || p.type === 'rma.reminder') continue;
      const decision = p.type === 'rma.reship_requested' ? { decision: 'REPLACEMENT_SHIPPED', trackingNumber: 'DEMO-TRACK-1' } : { decision: 'APPROVED', rmaNumber: `RMA-${answered}`, amountMinor: p.data.amount?.amountMinor, currency: p.data.amount?.currency };
      await axios.post(`${API}/supplier-api/requests/${p.data.requestId}/answer`, decision, { headers: { authorization: `Bearer ${keys.get('key')}` }, validateStatus: () => true })
        .then((res) => console.log(`demo supplier answered ${p.data!.requestId}: HTTP ${res.status}`))
        .catch((err) => console.error('demo supplier could not answer:', err.message));
    }
  }, 300);

  console.log(`READY shop=${shop.url} smtp=127.0.0.1:${smtp.port} supplier=${supplier.url('/webhooks')}`);
  const stop = async () => {
    await Promise.allSettled([shop.stop(), smtp.stop(), supplier.stop()]);
    control.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function startOn(server: { start(port?: number): Promise<unknown> }, port: number) {
  await server.start(port);
}

void main();
