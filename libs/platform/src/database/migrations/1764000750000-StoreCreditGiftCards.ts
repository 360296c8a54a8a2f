import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store credit paid as a Shopify gift card: the code is only ever returned by
 * `giftCardCreate`, so the refunds service keeps it with the refund row to tell
 * the customer again if the outcome is asked for a second time.
 */
export class StoreCreditGiftCards1764000750000 implements MigrationInterface {
  name = 'StoreCreditGiftCards1764000750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds ADD COLUMN gift_card_code text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds DROP COLUMN gift_card_code`);
  }
}
