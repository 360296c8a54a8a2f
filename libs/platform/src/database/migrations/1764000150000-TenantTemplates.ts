import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant e-mail texts (api-owned; the notifications service reads them when it
 * renders a message, falling back to the built-in text), and the indexes the
 * accounting reports filter on.
 */
export class TenantTemplates1764000150000 implements MigrationInterface {
  name = 'TenantTemplates1764000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_templates (
        tenant_id  uuid NOT NULL REFERENCES tenants(id),
        template   text NOT NULL,
        locale     text NOT NULL,
        subject    text NOT NULL,
        body       text NOT NULL,
        version    int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, template, locale)
      );
      CREATE INDEX returns_tenant_created ON returns (tenant_id, created_at);
      CREATE INDEX ledger_entries_tenant_kind ON ledger_entries (tenant_id, kind);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_entries_tenant_kind; DROP INDEX returns_tenant_created; DROP TABLE tenant_templates;`);
  }
}
