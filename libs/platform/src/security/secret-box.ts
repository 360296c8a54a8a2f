import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (store access tokens, supplier signing secrets) as
 * AES-256-GCM under a key ring from SECRETS_KEYS: `id:base64key,id:base64key`,
 * the first key encrypts, every key decrypts. A stored value is
 * `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64), so a row names the key that
 * sealed it and `npm run secrets:rotate` can re-seal it under the active one.
 *
 * Each value is bound to its owner (`context`, e.g. `supplier:<id>`, as GCM
 * associated data): a ciphertext copied onto another row does not decrypt.
 */
export class SecretBox {
  static readonly PREFIX = 'v1';

  private constructor(private readonly keys: Map<string, Buffer>, readonly activeKeyId: string, readonly isDevKey = false) {}

  /** Parses `id:base64key[,id:base64key…]`; each key must decode to 32 bytes. Throws SecretBoxError naming what is wrong. */
  static parseKeyRing(setting: string): { id: string; key: Buffer }[] {
    const entries = setting.split(',').map((s) => s.trim()).filter(Boolean);
    if (!entries.length) throw new SecretBoxError('SECRETS_KEYS is empty');
    const seen = new Set<string>();
    return entries.map((entry) => {
      const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_-]+={0,2})$/.exec(entry);
      if (!m) throw new SecretBoxError('SECRETS_KEYS entries must be id:base64key (id: letters, digits, _ or -)');
      const key = Buffer.from(m[2], 'base64');
      if (key.length !== 32) throw new SecretBoxError(`SECRETS_KEYS key ${m[1]} is ${key.length} bytes; AES-256 needs 32 (openssl rand -base64 32)`);
      if (seen.has(m[1])) throw new SecretBoxError(`SECRETS_KEYS names key ${m[1]} twice`);
      seen.add(m[1]);
      return { id: m[1], key };
    });
  }

  static fromKeyRing(setting: string): SecretBox {
    const ring = SecretBox.parseKeyRing(setting);
    return new SecretBox(new Map(ring.map((k) => [k.id, k.key])), ring[0].id);
  }

  /**
   * The key ring of this environment. Without SECRETS_KEYS, production
   * (NODE_ENV=production) is refused; anywhere else a fixed, public dev key
   * (id `dev`) is used, so local runs and tests work with nothing to set up
   * and every process of a run agrees. Its secrets are protected by nothing.
   */
  static fromEnv(env: { SECRETS_KEYS?: string; NODE_ENV?: string }): SecretBox {
    if (env.SECRETS_KEYS?.trim()) return SecretBox.fromKeyRing(env.SECRETS_KEYS);
    if (env.NODE_ENV === 'production') throw new SecretBoxError('SECRETS_KEYS is required when NODE_ENV=production (see docs/security.md)');
    return new SecretBox(new Map([[DEV_KEY_ID, DEV_KEY]]), DEV_KEY_ID, true);
  }

  /** The dev key as a key ring entry, to move a local database onto a real key: `SECRETS_KEYS=k1:…,<this>` then secrets:rotate. */
  static devKeyEntry(): string {
    return `${DEV_KEY_ID}:${DEV_KEY.toString('base64')}`;
  }

  /** A fresh random key ring entry, for docs and tests: `id:base64key`. */
  static newKey(id: string): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(`${SecretBox.PREFIX}:`);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [SecretBox.PREFIX, this.activeKeyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  open(stored: string, context: string): string {
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== SecretBox.PREFIX) throw new SecretBoxError('not a sealed secret (expected v1:<keyId>:<iv>:<tag>:<ciphertext>)');
    const [, keyId, iv, tag, ct] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is not in SECRETS_KEYS (keys: ${[...this.keys.keys()].join(', ')})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`secret sealed with key ${keyId} failed authentication (tampered, or another row's value)`);
    }
  }

  /** True when the value is sealed under the active key (nothing to rotate). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${SecretBox.PREFIX}:${this.activeKeyId}:`);
  }

  /** The value sealed under the active key; a plain (legacy) value is sealed as it is. */
  reseal(stored: string, context: string): string {
    return this.seal(SecretBox.isSealed(stored) ? this.open(stored, context) : stored, context);
  }
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const DEV_KEY_ID = 'dev';
// Public on purpose: only for NODE_ENV other than production, where there is nothing worth protecting.
const DEV_KEY = createHash('sha256').update('returns-orchestrator local and test key: never for production').digest();

/** The owner a secret is bound to (GCM associated data). */
export const secretContext = {
  storeToken: (tenantId: string) => `tenant:${tenantId}:store_access_token`,
  // A retired secret is the signing secret moved to another table: same owner, same context, copied as sealed.
  signingSecret: (supplierId: string) => `supplier:${supplierId}:signing_secret`,
};

/** Every sealed column: how to find its rows and the context of each. */
export const SEALED_COLUMNS: { table: string; column: string; key: string; context: (row: Record<string, string>) => string }[] = [
  { table: 'tenants', column: 'store_access_token', key: 'id', context: (r) => secretContext.storeToken(r.id) },
  { table: 'suppliers', column: 'signing_secret', key: 'id', context: (r) => secretContext.signingSecret(r.id) },
  { table: 'supplier_retired_secrets', column: 'secret', key: 'id', context: (r) => secretContext.signingSecret(r.supplier_id) },
];

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Re-seals every secret not under the active key (plain legacy values
 * included) in place. Run in one transaction by the migration that
 * introduced sealing and by `npm run secrets:rotate`. Returns rows changed per column.
 */
export async function resealAll(q: Queryable, box: SecretBox): Promise<Record<string, number>> {
  const changed: Record<string, number> = {};
  for (const col of SEALED_COLUMNS) {
    const rows = (await q.query(
      `SELECT * FROM ${col.table} WHERE ${col.column} IS NOT NULL AND ${col.column} NOT LIKE $1 FOR UPDATE`,
      [`${SecretBox.PREFIX}:${box.activeKeyId}:%`],
    )) as Record<string, string>[];
    for (const row of rows) {
      await q.query(`UPDATE ${col.table} SET ${col.column} = $2 WHERE ${col.key} = $1`, [row[col.key], box.reseal(row[col.column], col.context(row))]);
    }
    changed[`${col.table}.${col.column}`] = rows.length;
  }
  return changed;
}

let migrationBox: SecretBox | undefined;
/** The key ring migrations seal with: the service's own (set around runMigrations), else the process environment (TypeORM CLI). */
export const migrationSecrets = {
  use(box: SecretBox | undefined): void {
    migrationBox = box;
  },
  get(): SecretBox {
    return migrationBox ?? SecretBox.fromEnv(process.env);
  },
};
