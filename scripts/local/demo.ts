/**
 * Plays one DAMAGED return through the running system and prints where to
 * watch it. Used by scripts/run-local.sh.
 */
import axios from 'axios';

const API = process.env.API_URL ?? 'http://127.0.0.1:3000';
const CONTROL = `http://127.0.0.1:${process.env.DEMO_CONTROL_PORT ?? 4030}`;
const http = axios.create({ baseURL: API, validateStatus: () => true });
const DAY = 86_400_000;

function must<T>(res: { status: number; data: T }, expected: number, what: string): T {
  if (res.status !== expected) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

async function main() {
  const tenant = must(await http.post('/tenants', {
    name: 'Demo Dropship', brandName: 'Demo Store', senderEmail: 'care@demo.test', shopCurrency: 'EUR',
    store: { url: `http://127.0.0.1:${process.env.DEMO_SHOP_PORT ?? 4010}`, accessToken: 'shpat_demo' },
    policy: { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL' },
  }), 201, 'create tenant') as { tenantId: string; apiKey: string; opsApiKey: string };
  const auth = { headers: { authorization: `Bearer ${tenant.apiKey}` } };
  const supplier = must(await http.post('/suppliers', {
    name: 'Demo Supplier', webhookUrl: `http://127.0.0.1:${process.env.DEMO_SUPPLIER_PORT ?? 4020}/webhooks`,
    policy: { returnWindowDays: 30, evidenceRequiredFor: ['DAMAGED'], slaHours: 48 },
  }, auth), 201, 'link supplier') as { id: string; signingSecret: string; callbackApiKey: string; gaps: unknown[] };
  const externalId = `gid://shopify/Order/${Date.now()}`;
  const line = { externalId: `gid://shopify/LineItem/${Date.now()}`, sku: 'VASE-01', title: 'Ceramic vase', quantity: 1, unitPriceMinor: 2495, supplierId: supplier.id };
  // As a real dropshipper would, hand the supplier its credentials; the order already lives in the (fake) shop.
  await axios.post(`${CONTROL}/suppliers`, supplier);
  await axios.post(`${CONTROL}/shop/orders`, { id: externalId, currency: 'EUR', lineItems: [{ id: line.externalId, quantity: 1, unitPriceMinor: 2495 }], shippingMinor: 495 });
  const order = must(await http.post('/orders', {
    externalId, orderNumber: '#1001', currency: 'EUR', locale: 'en', customer: { email: 'sam@example.test', name: 'Sam' }, lines: [line], shippingMinor: 495,
    orderedAt: new Date(Date.now() - 10 * DAY).toISOString(), deliveredAt: new Date(Date.now() - 2 * DAY).toISOString(),
  }, auth), 201, 'register order') as { id: string };
  const ret = must(await http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', reason: 'Arrived broken', evidenceUrls: ['https://photos.example.test/vase.jpg'] }, auth), 202, 'report return') as { returnId: string };
  console.log(`\nDAMAGED return ${ret.returnId} reported; waiting for the saga…`);

  const deadline = Date.now() + 60_000;
  let view: { state: string; timeline: { from: string; to: string; cause: string; at: string }[]; amounts: Record<string, number | string> | null } | undefined;
  while (Date.now() < deadline) {
    view = (await http.get(`/returns/${ret.returnId}`, auth)).data;
    if (view && ['COMPLETED', 'ESCALATED'].includes(view.state)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!view || view.state !== 'COMPLETED') throw new Error(`demo return did not complete: ${JSON.stringify(view)}`);
  for (const t of view.timeline) console.log(`  ${t.at}  ${t.from.padEnd(18)} → ${t.to.padEnd(18)} ${t.cause}`);
  console.log(`  amounts: ${JSON.stringify(view.amounts)}`);
  let mails: { subject: string }[] = [];
  for (let i = 0; i < 40 && mails.length < 2; i++, await new Promise((r) => setTimeout(r, 250))) mails = (await axios.get(`${CONTROL}/mail`)).data;
  console.log(`  e-mails to the customer: ${mails.map((m) => `"${m.subject}"`).join(', ')}`);
  console.log(`
Watch it:
  case JSON      curl -H 'authorization: Bearer ${tenant.apiKey}' ${API}/returns/${ret.returnId}
  ops console    ${API}/console   (ops key: ${tenant.opsApiKey})
  OpenAPI        ${API}/docs
  metrics        ${API}/metrics  (orchestrator, suppliers, refunds, notifications on the next four ports)
  logs           .run/logs/latest/*.log (JSON lines)
  tenant key     ${tenant.apiKey}
`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
