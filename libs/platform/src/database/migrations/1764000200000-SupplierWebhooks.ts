import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supplier webhooks a supplier can trust (issue 4): secret rotation and
 * callback replay protection (api), endpoint health and redelivery
 * bookkeeping (suppliers service).
 */
export class SupplierWebhooks1764000200000 implements MigrationInterface {
  name = 'SupplierWebhooks1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- api: a rotated-out signing secret keeps signing (and verifying callbacks) until expires_at
      CREATE TABLE supplier_retired_secrets (
        id          bigserial PRIMARY KEY,
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        secret      text NOT NULL,
        retired_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX supplier_retired_secrets_live ON supplier_retired_secrets (supplier_id, expires_at);

      -- api: webhook-ids of signed supplier callbacks already accepted (replay protection)
      CREATE TABLE supplier_callback_ids (
        supplier_id uuid NOT NULL,
        webhook_id  text NOT NULL,
        seen_at     timestamptz NOT NULL,
        PRIMARY KEY (supplier_id, webhook_id)
      );
      CREATE INDEX supplier_callback_ids_seen ON supplier_callback_ids (seen_at);

      -- suppliers service: health of each supplier's webhook endpoint
      CREATE TABLE webhook_endpoints (
        supplier_id     uuid PRIMARY KEY,
        tenant_id       uuid NOT NULL,
        status          text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','DISABLED')),
        failing_since   timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        disabled_at     timestamptz,
        disabled_reason text,
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_endpoints_disabled ON webhook_endpoints (tenant_id) WHERE status = 'DISABLED';
      -- every disable (the ops alert) and re-enable, with who and why
      CREATE TABLE webhook_endpoint_events (
        id          bigserial PRIMARY KEY,
        supplier_id uuid NOT NULL,
        tenant_id   uuid NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('DISABLED','ENABLED')),
        reason      text NOT NULL,
        actor       text NOT NULL,
        at          timestamptz NOT NULL
      );
      CREATE INDEX webhook_endpoint_events_supplier ON webhook_endpoint_events (supplier_id, id);

      ALTER TABLE webhook_deliveries
        ADD COLUMN cycle_attempts  int NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN last_error      text,
        ADD COLUMN failed_at       timestamptz,
        ADD COLUMN redelivered_at  timestamptz;
      CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (supplier_id, failed_at) WHERE status = 'FAILED';
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (supplier_id) WHERE status = 'PENDING';
      ALTER TABLE webhook_attempts ADD COLUMN url text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_attempts DROP COLUMN url;
      DROP INDEX webhook_deliveries_pending; DROP INDEX webhook_deliveries_failed;
      ALTER TABLE webhook_deliveries DROP COLUMN redelivered_at, DROP COLUMN failed_at, DROP COLUMN last_error,
        DROP COLUMN next_attempt_at, DROP COLUMN cycle_attempts;
      DROP TABLE webhook_endpoint_events; DROP TABLE webhook_endpoints;
      DROP TABLE supplier_callback_ids; DROP TABLE supplier_retired_secrets;
    `);
  }
}
