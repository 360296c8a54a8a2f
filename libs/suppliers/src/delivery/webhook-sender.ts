import * as http from 'node:http';
import * as https from 'node:https';
import { AllowList, checkUrl, guardedLookup, HostResolver, SsrfRefused, systemResolver } from '@app/platform';
import { signedHeaders } from '../signing/standard-webhooks';

export interface SendResult {
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  responseExcerpt?: string;
  retryAfterMs?: number;
  /** The SSRF guard refused the URL or an address it resolved to: no connection was made. */
  refused?: boolean;
}

export interface WebhookMessage {
  url: string;
  id: string;
  body: string;
  /** Every live secret of the link: the current one first, then any still in their rotation overlap. */
  secrets: string[];
  at: Date;
}

export interface SendOptions {
  timeoutMs: number;
  allow: AllowList;
  resolve?: HostResolver;
  /** Bytes of the response body read (for the excerpt); the rest is discarded. */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Largest body we send; a bigger request is failed at once rather than sent. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const RESPONSE_EXCERPT_CHARS = 500;

/** Retry-After as delay-seconds or an HTTP date, relative to `now`; undefined when absent or unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * One signed POST, Standard Webhooks style (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Only 2xx counts; redirects are not followed (a 3xx is
 * a failure); the whole exchange is bounded by `timeoutMs`; the SSRF guard
 * runs on the URL and again on the addresses the host resolves to at connect time.
 */
export function sendWebhook(msg: WebhookMessage, opts: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  if (Buffer.byteLength(msg.body) > MAX_PAYLOAD_BYTES) {
    return Promise.resolve({ ok: false, latencyMs: 0, error: `payload of ${Buffer.byteLength(msg.body)} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit` });
  }
  let url: URL;
  let exempt: boolean;
  try {
    ({ url, allowed: exempt } = checkUrl(msg.url, opts.allow));
  } catch (err) {
    return Promise.resolve({ ok: false, latencyMs: 0, error: (err as Error).message, refused: true });
  }
  const maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const body = Buffer.from(msg.body);
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      // A fresh connection per attempt: the address it uses is the one just checked.
      agent: false,
      lookup: guardedLookup(exempt, opts.resolve ?? systemResolver) as unknown as http.RequestOptions['lookup'],
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': 'returns-orchestrator-webhooks/1',
        ...signedHeaders(msg.secrets, msg.id, msg.at, msg.body),
      },
    }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish({
        ok: status >= 200 && status < 300,
        status,
        responseExcerpt: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT_CHARS),
        retryAfterMs: parseRetryAfter(res.headers['retry-after'], msg.at),
      });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxResponseBytes) {
          done();
          res.destroy();
        }
      });
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    const timer = setTimeout(() => {
      finish({ ok: false, error: `timeout after ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof SsrfRefused) finish({ ok: false, error: err.message, refused: true });
      else finish({ ok: false, error: err.code ? `${err.code}: ${err.message}` : err.message });
    });
    req.end(body);
  });
}
