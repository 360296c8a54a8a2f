import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks' default: a message more than 5 minutes from our clock is refused. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export const SECRET_PREFIX = 'whsec_';

/**
 * Signs `id.timestamp.body` with each secret (the `standardwebhooks` signer)
 * and joins the results with spaces, as the spec allows: during a secret
 * rotation both the new and the old secret sign, so a receiver holding either verifies.
 */
export function signatureHeader(secrets: string[], id: string, at: Date, body: string): string {
  if (!secrets.length) throw new Error('no signing secret');
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
}

/** The three Standard Webhooks headers for one message. */
export function signedHeaders(secrets: string[], id: string, at: Date, body: string): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatureHeader(secrets, id, at, body),
  };
}

export type VerifyFailure = 'missing_headers' | 'bad_id' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';

/** What we accept as a `webhook-id` (no dots, so `id.timestamp.body` splits one way only). */
export const WEBHOOK_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure; message: string };

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** HMAC-SHA256 of `id.timestamp.body`, base64: the `v1` signature. */
export function v1Signature(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

const sameString = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Verifies a signed request (our inbound callbacks) against any of the link's
 * live secrets. Strict on purpose: the timestamp must be plain decimal
 * seconds within the tolerance of our clock, and a `v1,` signature must match
 * character for character (no alternative base64 spellings).
 */
export function verifyStandardWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer,
  secrets: string[],
  now: Date,
  toleranceSeconds = TIMESTAMP_TOLERANCE_SECONDS,
): VerifyResult {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? undefined : v;
  };
  const id = one('webhook-id');
  const ts = one('webhook-timestamp');
  const sig = one('webhook-signature');
  if (!id || !ts || !sig) return { ok: false, reason: 'missing_headers', message: 'webhook-id, webhook-timestamp and webhook-signature are required' };
  if (!WEBHOOK_ID_PATTERN.test(id)) return { ok: false, reason: 'bad_id', message: 'webhook-id must be 1-128 letters, digits, _ or -' };
  if (!/^[1-9]\d{0,14}$/.test(ts)) return { ok: false, reason: 'bad_timestamp', message: 'webhook-timestamp must be integer seconds since the epoch' };
  const timestamp = Number(ts);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'stale_timestamp', message: `webhook-timestamp is more than ${toleranceSeconds} s from our clock (${nowSeconds})` };
  }
  const offered = sig.split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3));
  for (const secret of secrets) {
    const expected = v1Signature(secret, id, timestamp, body);
    // Compare against every offered signature, so timing tells nothing about which one (if any) matched.
    let match = false;
    for (const candidate of offered) match = sameString(candidate, expected) || match;
    if (match) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: 'bad_signature', message: 'no webhook-signature matches this request' };
}
