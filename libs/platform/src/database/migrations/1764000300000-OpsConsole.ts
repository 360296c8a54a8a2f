import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ops console (api-owned): the audit trail of every ops action and note, and
 * the stuck-case alerts raised by the detector.
 */
export class OpsConsole1764000300000 implements MigrationInterface {
  name = 'OpsConsole1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ops_audit (
        id              uuid PRIMARY KEY,
        tenant_id       uuid NOT NULL REFERENCES tenants(id),
        return_id       uuid NOT NULL REFERENCES returns(id),
        saga_id         uuid,
        action          text NOT NULL CHECK (action IN ('RETRY','CANCEL','RESOLVE','NOTE','SUPPLIER_DECISION','REDELIVER')),
        actor           text NOT NULL,
        reason          text NOT NULL,
        params          jsonb NOT NULL DEFAULT '{}',
        idempotency_key text NOT NULL,
        batch_id        uuid,
        state_before    text,
        created_at      timestamptz NOT NULL,
        UNIQUE (tenant_id, idempotency_key)
      );
      CREATE INDEX ops_audit_return ON ops_audit (return_id, created_at);
      CREATE INDEX ops_audit_batch ON ops_audit (batch_id) WHERE batch_id IS NOT NULL;

      CREATE TABLE ops_alerts (
        id          bigserial PRIMARY KEY,
        tenant_id   uuid NOT NULL,
        return_id   uuid NOT NULL,
        saga_id     uuid,
        kind        text NOT NULL,
        state       text NOT NULL,
        -- when the case entered the state it is stuck in: one alert per stay in a state
        state_since timestamptz NOT NULL,
        reason      text NOT NULL,
        raised_at   timestamptz NOT NULL,
        cleared_at  timestamptz,
        UNIQUE (return_id, kind, state, state_since)
      );
      CREATE INDEX ops_alerts_open ON ops_alerts (tenant_id, raised_at) WHERE cleared_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ops_alerts; DROP TABLE ops_audit;`);
  }
}
