import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each envelope as `json` (its text, checked) rather than
 * `jsonb`: nothing queries inside it, and the relay publishes the text as it
 * is, so converting to jsonb on insert and back on read was work for nothing.
 */
export class OutboxJson1764000600000 implements MigrationInterface {
  name = 'OutboxJson1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN envelope TYPE json USING envelope::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN envelope TYPE jsonb USING envelope::jsonb`);
  }
}
