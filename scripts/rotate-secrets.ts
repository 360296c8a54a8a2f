/**
 * `npm run secrets:rotate`: re-seals every secret at rest (store tokens,
 * supplier signing secrets, retired secrets) under the active key of
 * SECRETS_KEYS, in one transaction. Rotate by putting a new key first
 * (`SECRETS_KEYS=k2:…,k1:…`), rolling the services, running this, then
 * dropping k1. Exit 78 when the environment is unusable, like the services.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { resealAll, SecretBox } from '../libs/platform/src/security/secret-box';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let box: SecretBox;
  try {
    if (!url) throw new Error('DATABASE_URL is required');
    box = SecretBox.fromEnv(process.env);
  } catch (err) {
    process.stderr.write(`secrets:rotate: ${(err as Error).message}\n`);
    process.exit(78);
  }
  if (box.isDevKey) process.stderr.write('secrets:rotate: SECRETS_KEYS is not set: using the public dev key (not for production)\n');
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('BEGIN');
    const changed = await resealAll({ query: async (sql, params) => (await pg.query(sql, params as unknown[])).rows }, box);
    await pg.query('COMMIT');
    process.stdout.write(`${JSON.stringify({ activeKey: box.activeKeyId, resealed: changed })}\n`);
  } catch (err) {
    await pg.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await pg.end();
  }
}

main().catch((err) => {
  process.stderr.write(`secrets:rotate failed: ${(err as Error).message}\n`);
  process.exit(1);
});
