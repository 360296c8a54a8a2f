import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/**
 * API keys are `<kind>_<prefix>_<secret>`: the prefix finds the row, the secret
 * is stored only as a SHA-256 hash (it has 256 bits of entropy, so a slow hash
 * adds nothing) and compared in constant time.
 */
export function newApiKey(kind: 'rk' | 'ops' | 'sk'): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `${kind}_${prefix}_${secret}`, prefix, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseApiKey(key: string): { kind: string; prefix: string; secret: string } | undefined {
  const m = /^(rk|ops|sk)_([0-9a-f]{12})_([A-Za-z0-9_-]{40,})$/.exec(key.trim());
  return m ? { kind: m[1], prefix: m[2], secret: m[3] } : undefined;
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
