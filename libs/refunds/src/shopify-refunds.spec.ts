import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostResolver } from '@app/platform';
import { RefundsConfig } from './config';
import { FakeShopify } from '@app/testing';
import { ShopifyRefunds, StoreCredit, StoreRefund } from './shopify-refunds';

/** A loopback server that records what it gets and answers with `reply`. */
async function server(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const got: { path: string; token?: string }[] = [];
  const srv = http.createServer((req, res) => {
    got.push({ path: req.url ?? '', token: req.headers['x-shopify-access-token'] as string | undefined });
    req.resume();
    req.on('end', () => reply(req, res));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { got, port: (srv.address() as AddressInfo).port, close: () => new Promise<void>((r) => { srv.close(() => r()); srv.closeAllConnections(); }) };
}

const refund: StoreRefund = { idempotencyKey: 'k-1', externalOrderId: 'gid://shopify/Order/1', currency: 'EUR', amountMinor: 1000, lines: [], shippingMinor: 0 };
const adapter = (allow: string, resolve?: HostResolver) => new ShopifyRefunds(Object.assign(new RefundsConfig(), { STORE_ALLOW_HOSTS: allow }), resolve);

describe('ShopifyRefunds: the token goes to the store host only', () => {
  it('does not follow a redirect: the store gets the token, the redirect target gets nothing', async () => {
    const target = await server((_q, res) => res.end('{}'));
    const store = await server((_q, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/admin/api/2026-04/graphql.json` });
      res.end();
    });
    try {
      const result = await adapter('localhost').refund({ url: `http://localhost:${store.port}`, accessToken: 'shpat_secret' }, refund);
      expect(result).toEqual({ kind: 'rejected', reason: expect.stringMatching(/redirect \(HTTP 302\).*not followed/) });
      expect(store.got).toEqual([{ path: '/admin/api/2026-04/graphql.json', token: 'shpat_secret' }]);
      expect(target.got).toEqual([]);
    } finally {
      await Promise.all([store.close(), target.close()]);
    }
  });

  it('store credit goes through the same guard: no redirect followed, the token to the store host only', async () => {
    const target = await server((_q, res) => res.end('{}'));
    const store = await server((_q, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${target.port}/admin/api/2026-04/graphql.json` });
      res.end();
    });
    try {
      const result = await adapter('localhost').storeCredit({ url: `http://localhost:${store.port}`, accessToken: 'shpat_secret' }, {
        idempotencyKey: 'k-2', externalOrderId: 'gid://shopify/Order/1', currency: 'EUR', shopCurrency: 'EUR', amountMinor: 500,
      });
      expect(result).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/redirect \(HTTP 307\).*not followed/) });
      expect(store.got).toHaveLength(1);
      expect(target.got).toEqual([]);
    } finally {
      await Promise.all([store.close(), target.close()]);
    }
  });

  it('checks the addresses at send time, after DNS: a myshopify name resolving inwards is refused before connecting', async () => {
    const asked: string[] = [];
    const rebinding: HostResolver = async (host) => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const result = await adapter('127.0.0.1,localhost', rebinding).refund({ url: 'https://acme.myshopify.com', accessToken: 'shpat_secret' }, refund);
    expect(asked).toEqual(['acme.myshopify.com']);
    expect(result).toEqual({ kind: 'rejected', reason: expect.stringMatching(/acme\.myshopify\.com resolves to 127\.0\.0\.1 is in the loopback range/) });
  });

  it('refuses at send time a store URL stored before the sign-up check (not the Shopify form)', async () => {
    const trap = await server((_q, res) => res.end('{}'));
    try {
      const result = await adapter('').refund({ url: `http://127.0.0.1:${trap.port}`, accessToken: 'shpat_secret' }, refund);
      expect(result).toEqual({ kind: 'rejected', reason: expect.stringMatching(/loopback/) });
      expect(trap.got).toEqual([]);
    } finally {
      await trap.close();
    }
  });

  it('ignores proxy settings from the environment (the token would go to the proxy)', async () => {
    const proxy = await server((_q, res) => res.end('{}'));
    const store = await server((_q, res) => { res.writeHead(401); res.end('{}'); });
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    process.env.HTTP_PROXY = process.env.http_proxy = `http://127.0.0.1:${proxy.port}`;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      await adapter('localhost').refund({ url: `http://localhost:${store.port}`, accessToken: 'shpat_secret' }, refund);
      expect(proxy.got).toEqual([]);
      expect(store.got).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      await Promise.all([proxy.close(), store.close()]);
    }
  });
});

const ORDER = 'gid://shopify/Order/2001';
const GUEST_ORDER = 'gid://shopify/Order/2002';
const CUSTOMER = 'gid://shopify/Customer/77';

describe('ShopifyRefunds.storeCredit against the fake Shopify', () => {
  let shop: FakeShopify;
  // The fake listens on 127.0.0.1: allowed as written, as tests and local runs do.
  const adapter = new ShopifyRefunds(Object.assign(new RefundsConfig(), { STORE_ALLOW_HOSTS: '127.0.0.1' }));
  const store = () => ({ url: shop.url, accessToken: shop.accessToken });
  const credit = (over: Partial<StoreCredit> = {}): StoreCredit => ({
    idempotencyKey: '3f1d2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', externalOrderId: ORDER, currency: 'EUR', shopCurrency: 'EUR', amountMinor: 3200, note: 'QUALITY_ISSUE return', ...over,
  });

  beforeAll(async () => {
    shop = await new FakeShopify().start();
  });
  afterAll(async () => {
    await shop.stop();
  });
  beforeEach(() => {
    shop.reset();
    shop.storeCreditEnabled = true;
    shop.addOrder({ id: ORDER, currency: 'EUR', lineItems: [{ id: 'gid://shopify/LineItem/1', quantity: 1, unitPriceMinor: 4000 }], customerId: CUSTOMER });
    shop.addOrder({ id: GUEST_ORDER, currency: 'EUR', lineItems: [{ id: 'gid://shopify/LineItem/2', quantity: 1, unitPriceMinor: 4000 }] });
  });

  it("credits the order's customer's store credit account, in the order's currency", async () => {
    const r = await adapter.storeCredit(store(), credit());
    expect(r).toEqual({ kind: 'succeeded', providerRefundId: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\//), amountMinor: 3200 });
    expect(shop.storeCredits).toEqual([expect.objectContaining({ customerId: CUSTOMER, amountMinor: 3200, currency: 'EUR', key: credit().idempotencyKey })]);
    expect(shop.storeCreditBalanceMinor(CUSTOMER, 'EUR')).toBe(3200);
    const [call] = shop.storeCreditRequests;
    expect((call.json as { variables: unknown }).variables).toMatchObject({ id: CUSTOMER, creditInput: { creditAmount: { amount: '32.00', currencyCode: 'EUR' } } });
  });

  it('a retry after a lost answer replays the first credit: credited once', async () => {
    shop.timeoutAfterSuccessNext(1, { newRefundsOnly: true });
    const first = await adapter.storeCredit(store(), credit());
    expect(first.kind).toBe('unavailable');
    const second = await adapter.storeCredit(store(), credit());
    expect(second.kind).toBe('succeeded');
    expect(shop.storeCredits).toHaveLength(1);
    expect(shop.storeCreditRequests.map((r) => r.outcome)).toEqual(['store-credit-created', 'replayed']);
    expect(shop.storeCreditBalanceMinor(CUSTOMER, 'EUR')).toBe(3200);
  });

  it('a shop without store credit gets a gift card for the customer, once, and its code comes back', async () => {
    shop.storeCreditEnabled = false;
    const r = await adapter.storeCredit(store(), credit());
    expect(r).toMatchObject({ kind: 'succeeded', providerRefundId: expect.stringMatching(/^gid:\/\/shopify\/GiftCard\//), amountMinor: 3200, giftCardCode: expect.any(String) });
    const again = await adapter.storeCredit(store(), credit());
    expect(again).toEqual(r);
    expect(shop.giftCards).toEqual([expect.objectContaining({ customerId: CUSTOMER, amountMinor: 3200, code: r.kind === 'succeeded' ? r.giftCardCode : '' })]);
    expect(shop.storeCredits).toHaveLength(0);
    expect(shop.giftCardRequests.map((q) => q.outcome)).toEqual(['gift-card-created', 'replayed']);
  });

  it('a guest checkout (no customer) gets a gift card without an owner', async () => {
    const r = await adapter.storeCredit(store(), credit({ externalOrderId: GUEST_ORDER }));
    expect(r.kind).toBe('succeeded');
    expect(shop.storeCreditRequests).toHaveLength(0);
    expect(shop.giftCards).toEqual([expect.objectContaining({ customerId: undefined, amountMinor: 3200 })]);
  });

  it('no gift card in the shop currency for an order in another currency: refused, nothing created', async () => {
    shop.storeCreditEnabled = false;
    const r = await adapter.storeCredit(store(), credit({ currency: 'DKK', shopCurrency: 'EUR' }));
    expect(r).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/gift card would be in EUR, not DKK/) });
    expect(shop.giftCards).toHaveLength(0);
  });

  it('an outage or throttling is worth retrying and creates nothing; bad credentials are not', async () => {
    shop.failNext(1, 503);
    expect(await adapter.storeCredit(store(), credit())).toMatchObject({ kind: 'unavailable', reason: 'HTTP 503' });
    shop.throttleNext(1);
    expect(await adapter.storeCredit(store(), credit())).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/^THROTTLED/) });
    expect(await adapter.storeCredit({ url: shop.url, accessToken: 'wrong' }, credit())).toMatchObject({ kind: 'rejected' });
    expect(shop.storeCredits).toHaveLength(0);
  });

  it('an unknown order is refused', async () => {
    expect(await adapter.storeCredit(store(), credit({ externalOrderId: 'gid://shopify/Order/404' }))).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/not found/) });
  });
});
