import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSecrets, resealAll, SEALED_COLUMNS } from '../../security/secret-box';

/**
 * Secrets at rest (issue 10): the store access token, supplier signing
 * secrets and retired secrets were plain text; this seals every existing row
 * with the service's key ring (SECRETS_KEYS; a dev key outside production,
 * see docs/security.md). New rows are sealed by the code that writes them.
 */
export class SealedSecrets1764000700000 implements MigrationInterface {
  name = 'SealedSecrets1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await resealAll(q, migrationSecrets.get());
  }

  async down(q: QueryRunner): Promise<void> {
    const box = migrationSecrets.get();
    for (const col of SEALED_COLUMNS) {
      const rows: Record<string, string>[] = await q.query(`SELECT * FROM ${col.table} WHERE ${col.column} LIKE 'v1:%'`);
      for (const row of rows) {
        await q.query(`UPDATE ${col.table} SET ${col.column} = $2 WHERE ${col.key} = $1`, [row[col.key], box.open(row[col.column], col.context(row))]);
      }
    }
  }
}
