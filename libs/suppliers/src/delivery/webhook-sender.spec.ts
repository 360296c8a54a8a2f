import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { AllowList, writtenHost } from '@app/platform';
import { fakeResolver, ssrfCases } from '../../../platform/src/security/ssrf.fixtures';
import { MAX_PAYLOAD_BYTES, parseRetryAfter, sendWebhook } from './webhook-sender';

/** A dual-stack server on [::]:port (so every loopback spelling reaches it) that counts TCP connections. */
class CountingServer {
  connections = 0;
  requests: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('{"ok":true}');
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.requests.push({ path: req.url ?? '', headers: req.headers, body });
      this.handler(req, res);
    });
  });
  port = 0;

  async start(): Promise<this> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((r) => this.server.listen({ port: 0, host: '::', ipv6Only: false }, r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_dGhpcyBpcyB0aGUgb2xkIHNlY3JldCBrZXkhIQ==';
const msg = (url: string, extra: Partial<Parameters<typeof sendWebhook>[0]> = {}) => ({
  url, id: 'msg_2b9b1c6f5d8a4e0f9a7c3d2e1f0a9b8c', body: '{"type":"rma.credit_requested","data":{"amount":1}}', secrets: [SECRET], at: new Date(), ...extra,
});

describe('sendWebhook', () => {
  let srv: CountingServer;
  const allowLoopback = AllowList.parse('127.0.0.1');
  const opts = { timeoutMs: 2_000, allow: allowLoopback, resolve: fakeResolver };

  beforeEach(async () => {
    srv = await new CountingServer().start();
  });
  afterEach(() => srv.stop());

  describe('SSRF: with the allow-list off, no table entry gets a connection', () => {
    it('refuses all 40+ URLs and the loopback server sees 0 connections', async () => {
      const cases = ssrfCases(srv.port);
      expect(cases.length).toBeGreaterThanOrEqual(30);
      const results = [];
      for (const c of cases) results.push({ ...c, result: await sendWebhook(msg(c.url), { timeoutMs: 2_000, allow: AllowList.none, resolve: fakeResolver }) });
      const notRefused = results.filter((r) => !r.result.refused).map((r) => `${r.url}: ${r.result.error ?? r.result.status}`);
      expect(notRefused).toEqual([]);
      for (const r of results) expect(r.result.error).toMatch(/refused by SSRF guard/);
      expect(srv.connections).toBe(0);
      expect(srv.requests).toHaveLength(0);
    });

    it('control: with everything allowed, the loopback entries do reach the server (so the 0 above is the guard)', async () => {
      const reachable = ssrfCases(srv.port).filter((c) => c.loopback);
      expect(reachable.length).toBeGreaterThanOrEqual(15);
      // The allow-list matches hosts as written: each URL's own spelling on it.
      const allowAll = AllowList.parse(reachable.map((c) => writtenHost(c.url)).join(','));
      for (const c of reachable) await sendWebhook(msg(c.url), { timeoutMs: 2_000, allow: allowAll, resolve: fakeResolver });
      expect(srv.connections).toBe(reachable.length);
    });

    it('checks the resolved address at connect time and connects to that address only', async () => {
      const seen: string[] = [];
      let answer = '93.184.215.14';
      const flipping = async (host: string) => {
        seen.push(host);
        return [{ address: answer, family: 4 as const }];
      };
      answer = '127.0.0.1'; // DNS now says loopback, whatever it said at registration
      const r = await sendWebhook(msg(`http://flip.supplier.test:${srv.port}/`), { timeoutMs: 2_000, allow: AllowList.none, resolve: flipping });
      expect(r.refused).toBe(true);
      expect(seen).toEqual(['flip.supplier.test']);
      expect(srv.connections).toBe(0);
      // Allowed by name, the same lookup result is used for the connection: one resolution, one connection.
      const ok = await sendWebhook(msg(`http://flip.supplier.test:${srv.port}/`), { timeoutMs: 2_000, allow: AllowList.parse('flip.supplier.test'), resolve: flipping });
      expect(ok).toMatchObject({ ok: true, status: 200 });
      expect(seen).toEqual(['flip.supplier.test', 'flip.supplier.test']);
      expect(srv.connections).toBe(1);
    });
  });

  it('signs with every live secret; standardwebhooks and svix both verify with either one', async () => {
    const r = await sendWebhook(msg(`http://127.0.0.1:${srv.port}/hook`, { secrets: [SECRET, OLD_SECRET] }), opts);
    expect(r).toMatchObject({ ok: true, status: 200 });
    const [req] = srv.requests;
    const headers = req.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('msg_2b9b1c6f5d8a4e0f9a7c3d2e1f0a9b8c');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [SECRET, OLD_SECRET]) {
      expect(new StandardWebhook(secret).verify(req.body, headers)).toMatchObject({ type: 'rma.credit_requested' });
      expect(new SvixWebhook(secret).verify(req.body, headers)).toMatchObject({ type: 'rma.credit_requested' });
    }
    expect(() => new StandardWebhook(otherSecret()).verify(req.body, headers)).toThrow(/No matching signature/);
    expect(() => new SvixWebhook(otherSecret()).verify(req.body, headers)).toThrow();
  });

  it('only 2xx counts; a 3xx is a failure and is never followed', async () => {
    srv.handler = (req, res) => {
      if (req.url === '/hook') res.writeHead(307, { location: `http://127.0.0.1:${srv.port}/elsewhere` }).end();
      else res.end('ok');
    };
    const r = await sendWebhook(msg(`http://127.0.0.1:${srv.port}/hook`), opts);
    expect(r).toMatchObject({ ok: false, status: 307 });
    expect(srv.requests.map((q) => q.path)).toEqual(['/hook']);
  });

  it.each([[199], [300], [404], [500]])('HTTP %i is a failure', async (status) => {
    srv.handler = (_req, res) => res.writeHead(status).end('nope');
    expect((await sendWebhook(msg(`http://127.0.0.1:${srv.port}/`), opts)).ok).toBe(false);
  });

  it('bounds the whole request by the timeout', async () => {
    srv.handler = () => undefined; // never answers
    const r = await sendWebhook(msg(`http://127.0.0.1:${srv.port}/`), { ...opts, timeoutMs: 300 });
    expect(r.ok).toBe(false);
    expect(r.error).toBe('timeout after 300 ms');
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(2_000);
  });

  it('keeps a 500-character excerpt of the response and reads Retry-After', async () => {
    srv.handler = (_req, res) => res.writeHead(503, { 'retry-after': '120' }).end('x'.repeat(5_000));
    const r = await sendWebhook(msg(`http://127.0.0.1:${srv.port}/`), opts);
    expect(r).toMatchObject({ ok: false, status: 503, retryAfterMs: 120_000 });
    expect(r.responseExcerpt).toHaveLength(500);
  });

  it('refuses a payload over the size limit without connecting', async () => {
    const r = await sendWebhook(msg(`http://127.0.0.1:${srv.port}/`, { body: JSON.stringify({ x: 'y'.repeat(MAX_PAYLOAD_BYTES) }) }), opts);
    expect(r.error).toMatch(/exceeds the 262144-byte limit/);
    expect(srv.connections).toBe(0);
  });

  it('reports a refused connection as an error, not a crash', async () => {
    const port = srv.port;
    await srv.stop();
    const r = await sendWebhook(msg(`http://127.0.0.1:${port}/`), opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/ECONNREFUSED/);
    srv = await new CountingServer().start();
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Sun, 01 Jun 2025 12:05:00 GMT', 300_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

function otherSecret(): string {
  return 'whsec_' + Buffer.from('a completely different secret!!').toString('base64');
}
