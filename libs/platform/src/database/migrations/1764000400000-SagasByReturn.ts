import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sagas by return, open or closed: the orchestrator looks a return's saga up
 * for every carrier scan (ReturnTracked carries no saga id), and the api for
 * every case view. The partial unique index only serves open sagas, so these
 * lookups scanned the whole table (found by the benchmark).
 */
export class SagasByReturn1764000400000 implements MigrationInterface {
  name = 'SagasByReturn1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sagas_return ON sagas (return_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sagas_return`);
  }
}
