/**
 * SupplierReceiver: a supplier's webhook endpoint on 127.0.0.1, random port.
 *
 * Records every request (any method, any path) and verifies Standard Webhooks signatures
 * with the `standardwebhooks` package (`new Webhook(secret).verify(rawBody, headers)`).
 *
 * Responses are scripted with a FIFO queue (`respondWith`); once it is empty, `defaultResponse`
 * (200 `{"ok":true}`) is used.
 *
 * Scripted response semantics:
 * - `{ status, headers?, body? }` → answered immediately.
 * - `{ ..., delayMs }` → answered after `delayMs` (slow but answers).
 * - `{ timeoutMs }` → never answered; the socket is destroyed after `timeoutMs`
 *   (`Infinity` = until the client gives up or `stop()`).
 * - `{ destroy: true }` → connection reset right away, no response.
 * `stop()` destroys all sockets, so pending timeouts never keep a test hanging.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { waitFor } from './wait-for';

export interface ScriptedResponse {
  /** HTTP status. Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** String sent as-is, anything else JSON-encoded. Default: `{"ok":true}` for 2xx, `{"ok":false}` otherwise, empty for 3xx/204. */
  body?: unknown;
  /** Answer after this delay. */
  delayMs?: number;
  /** Never answer; destroy the socket after this many ms (`Infinity`: hang until client aborts / stop()). */
  timeoutMs?: number;
  /** Reset the connection immediately without any response. */
  destroy?: boolean;
}

export interface ReceivedWebhook {
  /** 0-based arrival index. */
  index: number;
  method: string;
  /** Path including the query string. */
  path: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw request body as received. */
  body: string;
  /** Parsed JSON body, `undefined` if not JSON. */
  json: unknown;
  receivedAt: Date;
  /** Result of standardwebhooks verification against the secret current at arrival. */
  verified: boolean;
  /** Verification failure message (or 'no secret configured'), undefined when verified. */
  verifyError?: string;
  /** The scripted response that was applied. */
  response: ScriptedResponse;
}

const DEFAULT_RESPONSE: ScriptedResponse = { status: 200, body: { ok: true } };

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export class SupplierReceiver {
  readonly requests: ReceivedWebhook[] = [];
  /** Used when the scripted queue is empty. */
  defaultResponse: ScriptedResponse = DEFAULT_RESPONSE;

  private _secret: string | undefined;
  private queue: ScriptedResponse[] = [];
  private server: http.Server | undefined;
  private port: number | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(opts: { secret?: string } = {}) {
    if (opts.secret !== undefined) this.secret = opts.secret;
  }

  /** A fresh random `whsec_…` secret (24 random bytes, base64). */
  static randomSecret(): string {
    return `whsec_${randomBytes(24).toString('base64')}`;
  }

  /** The Standard Webhooks secret (`whsec_…`) used for verification. Validated when set. */
  get secret(): string | undefined {
    return this._secret;
  }

  set secret(value: string | undefined) {
    if (value !== undefined) new Webhook(value); // throws on an invalid/empty secret
    this._secret = value;
  }

  /** Listens on 127.0.0.1, on `port` (0 = any free port). */
  async start(port = 0): Promise<this> {
    if (this.server) return this;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl(): string {
    if (this.port === undefined) throw new Error('SupplierReceiver not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** Full URL for a path on this receiver. Default `/webhooks`. */
  url(path = '/webhooks'): string {
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** Replaces the scripted queue; each request consumes one entry, then `defaultResponse` applies. */
  respondWith(responses: ScriptedResponse[]): void {
    this.queue = responses.slice();
  }

  /** Appends to the scripted queue. */
  enqueue(...responses: ScriptedResponse[]): void {
    this.queue.push(...responses);
  }

  /** Number of scripted responses not yet consumed. */
  get pendingResponses(): number {
    return this.queue.length;
  }

  /** Resolves with all requests once at least `n` have arrived. */
  waitForRequests(n: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
    return waitFor(() => (this.requests.length >= n ? this.requests.slice() : undefined), {
      timeoutMs,
      intervalMs: 20,
      message: `SupplierReceiver: expected ${n} requests, have ${this.requests.length}`,
    });
  }

  /** Clears recorded requests and the scripted queue (keeps the secret). */
  reset(): void {
    this.requests.length = 0;
    this.queue = [];
    this.defaultResponse = DEFAULT_RESPONSE;
  }

  private verify(body: string, headers: Record<string, string>): { verified: boolean; verifyError?: string } {
    if (this._secret === undefined) return { verified: false, verifyError: 'no secret configured' };
    try {
      new Webhook(this._secret).verify(body, headers);
      return { verified: true };
    } catch (e) {
      return { verified: false, verifyError: e instanceof Error ? e.message : String(e) };
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = undefined;
      try {
        json = body.length ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const headers = flattenHeaders(req.headers);
      const response = this.queue.shift() ?? this.defaultResponse;
      this.requests.push({
        index: this.requests.length,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers,
        body,
        json,
        receivedAt: new Date(),
        ...this.verify(body, headers),
        response,
      });
      this.respond(res, response);
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private respond(res: http.ServerResponse, r: ScriptedResponse): void {
    if (r.destroy) {
      res.socket?.destroy();
      return;
    }
    if (r.timeoutMs !== undefined) {
      if (Number.isFinite(r.timeoutMs)) this.later(r.timeoutMs, () => res.socket?.destroy());
      return;
    }
    const send = (): void => {
      if (res.destroyed || res.writableEnded) return;
      const status = r.status ?? 200;
      let text: string;
      if (r.body === undefined) {
        text = status >= 300 && status < 400 ? '' : status === 204 ? '' : JSON.stringify({ ok: status < 300 });
      } else {
        text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      }
      const headers: Record<string, string | number> = {};
      if (text.length > 0) headers['content-type'] = 'application/json';
      for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
      headers['content-length'] = Buffer.byteLength(text);
      res.writeHead(status, headers);
      res.end(text);
    };
    if (r.delayMs !== undefined && r.delayMs > 0) this.later(r.delayMs, send);
    else send();
  }
}
