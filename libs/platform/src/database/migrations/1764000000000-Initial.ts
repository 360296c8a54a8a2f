import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Initial schema. One database, tables grouped by the service that owns them
 * (see docs/adr/004-shared-database-owned-tables.md): a service writes only its
 * own tables; other services learn of changes through Kafka.
 */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- platform: transactional outbox, consumer inbox, durable task queue
      CREATE TABLE outbox (
        seq        bigserial PRIMARY KEY,
        id         uuid NOT NULL UNIQUE,
        producer   text NOT NULL,
        topic      text NOT NULL,
        key        text NOT NULL,
        envelope   jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_producer_seq ON outbox (producer, seq);

      CREATE TABLE inbox (
        consumer     text NOT NULL,
        message_id   uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      );

      CREATE TABLE tasks (
        id          uuid PRIMARY KEY,
        queue       text NOT NULL,
        dedupe_key  text NOT NULL,
        payload     jsonb NOT NULL DEFAULT '{}',
        run_at      timestamptz NOT NULL,
        status      text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DONE','CANCELLED','DEAD')),
        attempts    int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        last_error  text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (queue, dedupe_key)
      );
      CREATE INDEX tasks_due ON tasks (queue, run_at) WHERE status = 'PENDING';

      -- api: tenants, keys, supplier links, orders, returns, supplier answers
      CREATE TABLE tenants (
        id                    uuid PRIMARY KEY,
        name                  text NOT NULL,
        brand_name            text NOT NULL,
        sender_email          text NOT NULL,
        store_platform        text NOT NULL DEFAULT 'shopify',
        store_url             text,
        store_access_token    text,
        shop_currency         char(3) NOT NULL,
        policy_version        int NOT NULL DEFAULT 1,
        created_at            timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE tenant_policies (
        tenant_id  uuid NOT NULL REFERENCES tenants(id),
        version    int NOT NULL,
        policy     jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, version)
      );
      CREATE TABLE api_keys (
        id         uuid PRIMARY KEY,
        tenant_id  uuid NOT NULL REFERENCES tenants(id),
        role       text NOT NULL CHECK (role IN ('TENANT','OPS')),
        prefix     text NOT NULL UNIQUE,
        hash       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE suppliers (
        id               uuid PRIMARY KEY,
        tenant_id        uuid NOT NULL REFERENCES tenants(id),
        name             text NOT NULL,
        webhook_url      text NOT NULL,
        signing_secret   text NOT NULL,
        callback_key_prefix text NOT NULL UNIQUE,
        callback_key_hash   text NOT NULL,
        policy_version   int NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX suppliers_tenant ON suppliers (tenant_id);
      CREATE TABLE supplier_policies (
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        version     int NOT NULL,
        policy      jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (supplier_id, version)
      );
      CREATE TABLE orders (
        id               uuid PRIMARY KEY,
        tenant_id        uuid NOT NULL REFERENCES tenants(id),
        external_id      text NOT NULL,
        order_number     text,
        currency         char(3) NOT NULL,
        locale           text NOT NULL DEFAULT 'en',
        customer_email   text NOT NULL,
        customer_name    text,
        shipping_minor   bigint NOT NULL DEFAULT 0,
        tax_minor        bigint NOT NULL DEFAULT 0,
        total_paid_minor bigint NOT NULL,
        ordered_at       timestamptz NOT NULL,
        promised_at      timestamptz,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, external_id)
      );
      CREATE TABLE order_lines (
        id               uuid PRIMARY KEY,
        order_id         uuid NOT NULL REFERENCES orders(id),
        external_id      text NOT NULL,
        sku              text NOT NULL,
        title            text NOT NULL,
        quantity         int NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        supplier_id      uuid NOT NULL REFERENCES suppliers(id)
      );
      CREATE INDEX order_lines_order ON order_lines (order_id);
      CREATE TABLE returns (
        id              uuid PRIMARY KEY,
        tenant_id       uuid NOT NULL REFERENCES tenants(id),
        order_id        uuid NOT NULL REFERENCES orders(id),
        event_type      text NOT NULL,
        reason          text,
        request         jsonb NOT NULL,
        idempotency_key text,
        not_recoverable text,
        created_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX returns_idempotency ON returns (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX returns_order ON returns (order_id);

      -- orchestrator: sagas, transitions, ledger
      CREATE TABLE sagas (
        id                      uuid PRIMARY KEY,
        return_id               uuid NOT NULL,
        tenant_id               uuid NOT NULL,
        event_type              text NOT NULL,
        state                   text NOT NULL,
        definition_version      int NOT NULL,
        tenant_policy_version   int NOT NULL,
        supplier_policy_version int,
        data                    jsonb NOT NULL,
        version                 int NOT NULL DEFAULT 0,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        closed_at               timestamptz
      );
      CREATE UNIQUE INDEX sagas_one_open_per_return ON sagas (return_id) WHERE closed_at IS NULL;
      CREATE INDEX sagas_tenant_state ON sagas (tenant_id, state);
      CREATE TABLE saga_transitions (
        id          bigserial PRIMARY KEY,
        saga_id     uuid NOT NULL REFERENCES sagas(id),
        from_state  text NOT NULL,
        to_state    text NOT NULL,
        cause       text NOT NULL,
        message_id  uuid,
        detail      jsonb,
        at          timestamptz NOT NULL
      );
      CREATE INDEX saga_transitions_saga ON saga_transitions (saga_id, id);
      CREATE TABLE ledger_entries (
        id           bigserial PRIMARY KEY,
        saga_id      uuid NOT NULL REFERENCES sagas(id),
        tenant_id    uuid NOT NULL,
        kind         text NOT NULL,
        amount_minor bigint NOT NULL,
        currency     char(3) NOT NULL,
        reference    text,
        at           timestamptz NOT NULL,
        UNIQUE (saga_id, kind, reference)
      );

      -- suppliers service: requests sent to suppliers and their webhook deliveries
      CREATE TABLE supplier_requests (
        id          uuid PRIMARY KEY,
        saga_id     uuid NOT NULL,
        return_id   uuid NOT NULL,
        tenant_id   uuid NOT NULL,
        supplier_id uuid NOT NULL,
        kind        text NOT NULL,
        body        jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX supplier_requests_supplier ON supplier_requests (supplier_id, created_at);
      CREATE TABLE webhook_deliveries (
        id             text PRIMARY KEY,
        request_id     uuid NOT NULL REFERENCES supplier_requests(id),
        supplier_id    uuid NOT NULL,
        tenant_id      uuid NOT NULL,
        url            text NOT NULL,
        body           text NOT NULL,
        status         text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DELIVERED','FAILED')),
        attempts       int NOT NULL DEFAULT 0,
        created_at     timestamptz NOT NULL DEFAULT now(),
        delivered_at   timestamptz
      );
      CREATE INDEX webhook_deliveries_supplier ON webhook_deliveries (supplier_id, created_at);
      CREATE TABLE webhook_attempts (
        id               bigserial PRIMARY KEY,
        delivery_id      text NOT NULL REFERENCES webhook_deliveries(id),
        at               timestamptz NOT NULL,
        status_code      int,
        latency_ms       int NOT NULL,
        error            text,
        response_excerpt text
      );
      CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

      -- api: supplier answers (idempotent callback)
      CREATE TABLE supplier_answers (
        request_id  uuid PRIMARY KEY REFERENCES supplier_requests(id),
        supplier_id uuid NOT NULL,
        tenant_id   uuid NOT NULL,
        answer      jsonb NOT NULL,
        answer_hash text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );

      -- refunds service
      CREATE TABLE refunds (
        id                 uuid PRIMARY KEY,
        saga_id            uuid NOT NULL,
        return_id          uuid NOT NULL,
        tenant_id          uuid NOT NULL,
        purpose            text NOT NULL,
        external_order_id  text NOT NULL,
        amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
        currency           char(3) NOT NULL,
        shop_currency      char(3) NOT NULL,
        request            jsonb NOT NULL,
        status             text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SUCCEEDED','FAILED')),
        provider_refund_id text,
        attempts           int NOT NULL DEFAULT 0,
        last_error         text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        completed_at       timestamptz,
        UNIQUE (saga_id, purpose)
      );

      -- notifications service
      CREATE TABLE notifications (
        id         uuid PRIMARY KEY,
        saga_id    uuid NOT NULL,
        return_id  uuid NOT NULL,
        tenant_id  uuid NOT NULL,
        template   text NOT NULL,
        locale     text NOT NULL,
        to_email   text NOT NULL,
        subject    text NOT NULL,
        body       text NOT NULL,
        status     text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENT','FAILED')),
        attempts   int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz,
        UNIQUE (saga_id, template)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notifications; DROP TABLE refunds; DROP TABLE supplier_answers;
      DROP TABLE webhook_attempts; DROP TABLE webhook_deliveries; DROP TABLE supplier_requests;
      DROP TABLE ledger_entries; DROP TABLE saga_transitions; DROP TABLE sagas;
      DROP TABLE returns; DROP TABLE order_lines; DROP TABLE orders; DROP TABLE supplier_policies;
      DROP TABLE suppliers; DROP TABLE api_keys; DROP TABLE tenant_policies; DROP TABLE tenants;
      DROP TABLE tasks; DROP TABLE inbox; DROP TABLE outbox;
    `);
  }
}
