import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts about a supplier rather than a case's progress (its webhook endpoint
 * disabled) name the supplier, so re-enabling the endpoint clears them all.
 */
export class OpsAlertSupplier1764000800000 implements MigrationInterface {
  name = 'OpsAlertSupplier1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ops_alerts ADD COLUMN supplier_id uuid`);
    await q.query(`CREATE INDEX ops_alerts_open_by_supplier ON ops_alerts (supplier_id) WHERE cleared_at IS NULL AND supplier_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ops_alerts_open_by_supplier`);
    await q.query(`ALTER TABLE ops_alerts DROP COLUMN supplier_id`);
  }
}
