import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store credit paid as a Shopify gift card: the code is only ever returned by
 * `giftCardCreate`, so the refunds service keeps it with the refund row to tell
 * the customer again if the outcome is asked for a second time.
 *
 * `key_generation`: a store replays a refusal under the same idempotency key,
 * so a retry after ops fixed the cause (store credit turned on) would be
 * refused again. A definite refusal created nothing, so the next attempt may
 * use a fresh key (refund id + generation); an ambiguous failure never does.
 */
export class StoreCreditGiftCards1764000750000 implements MigrationInterface {
  name = 'StoreCreditGiftCards1764000750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds ADD COLUMN gift_card_code text, ADD COLUMN key_generation int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds DROP COLUMN gift_card_code, DROP COLUMN key_generation`);
  }
}
