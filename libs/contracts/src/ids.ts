import { createHash } from 'crypto';

const NAMESPACE = 'returns-orchestrator';

/** A UUID (version 5 layout) derived from its parts: the same step always gets the same id, so retries are idempotent. */
export function stableId(...parts: string[]): string {
  const h = createHash('sha1').update(NAMESPACE).update('\0').update(parts.join('\0')).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
