import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A saga's timers by key prefix (`<sagaId>:<timer>`): the ops case list (and
 * the stuck detector that runs it every minute) and the case detail look them
 * up with `dedupe_key LIKE '<sagaId>:%'`, which the unique (queue, dedupe_key)
 * index cannot serve outside the C collation. Partial: only saga timers are
 * looked up this way, so other queues' inserts pay nothing.
 */
export class SagaTimerKeys1764000500000 implements MigrationInterface {
  name = 'SagaTimerKeys1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tasks_saga_timer_keys ON tasks (dedupe_key text_pattern_ops) WHERE queue = 'saga-timer'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_saga_timer_keys`);
  }
}
