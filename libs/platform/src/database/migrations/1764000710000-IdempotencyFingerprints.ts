import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key reused with another request is refused (422) rather
 * than answered with the first result: each keyed write stores the sha256 of
 * its canonical request beside the key. Rows from before have none and are
 * replayed as before.
 */
export class IdempotencyFingerprints1764000710000 implements MigrationInterface {
  name = 'IdempotencyFingerprints1764000710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE returns ADD COLUMN idempotency_fingerprint text`);
    await q.query(`ALTER TABLE ops_audit ADD COLUMN request_fingerprint text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ops_audit DROP COLUMN request_fingerprint`);
    await q.query(`ALTER TABLE returns DROP COLUMN idempotency_fingerprint`);
  }
}
