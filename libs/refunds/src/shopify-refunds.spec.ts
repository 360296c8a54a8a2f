import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostResolver } from '@app/platform';
import { RefundsConfig } from './config';
import { ShopifyRefunds, StoreRefund } from './shopify-refunds';

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
