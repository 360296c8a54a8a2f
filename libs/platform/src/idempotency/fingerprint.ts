import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '../errors/domain-error';

/** JSON with object keys sorted at every level, so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  ) ?? 'null';
}

/** sha256 (hex) of the canonical request, stored beside an Idempotency-Key (as Stripe does). */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * A key comes back with the same request: replay. With another: 422, rather
 * than silently answering the first request and losing the second. Rows
 * written before fingerprints were stored (null) are replayed as before.
 */
export function assertSameRequest(stored: string | null | undefined, fingerprint: string): void {
  if (stored && stored !== fingerprint)
    throw new DomainError(ErrorCode.IdempotencyKeyReused, 'Idempotency-Key was already used with a different request: use a new key for a new request', { fields: ['Idempotency-Key'] });
}
