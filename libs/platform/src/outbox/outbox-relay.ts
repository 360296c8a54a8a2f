import { DataSource, QueryRunner } from 'typeorm';
import { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Metrics } from '../metrics/metrics';

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  /** The envelope as JSON text, published as it is (no parse and stringify on the way through). */
  body: string;
  id: string;
  type: string;
  correlation_id: string;
  created_at: Date;
}

/** Channel on which a standby instance tells the active relay that it committed outbox rows (payload: producer). */
const CHANNEL = 'outbox_relay';

/**
 * Publishes outbox rows to Kafka in batches, in commit order, then deletes them.
 * One active relay per producer (a session advisory lock); other instances stand
 * by. A crash between publish and delete republishes: consumers dedupe by id.
 *
 * One round trip per pass: the rows published by the previous pass are deleted
 * in the same statement that reads the next batch. The active relay wakes on
 * nudges from its own process and on NOTIFYs from standby instances (which do
 * not relay, but do write), and otherwise polls every `pollMs`.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private runner?: QueryRunner;
  private active = false;
  /** A nudge came since the current pass started: look again before sleeping. */
  private nudged = false;
  private notifying = false;
  /** Published but not yet deleted (deleted by the next pass). */
  private published: string[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly producer: Producer,
    private readonly producerName: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly opts: { batchSize: number; pollMs: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Look for new rows soon (called after a transaction that appended some). */
  nudge(): void {
    this.nudged = true;
    if (this.active) this.wake?.();
    else this.notifyActive();
  }

  /** Standby: the rows this instance wrote are relayed by another one; wake it (one NOTIFY per burst). */
  private notifyActive(): void {
    if (this.notifying || !this.running) return;
    this.notifying = true;
    setTimeout(() => {
      this.notifying = false;
      this.ds.query('SELECT pg_notify($1, $2)', [CHANNEL, this.producerName]).catch(() => undefined);
    }, 1);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private lockKey(): string {
    return `outbox:${this.producerName}`;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.runner) {
          this.runner = this.ds.createQueryRunner();
          await this.runner.connect();
        }
        const [{ locked }] = await this.runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockKey()]);
        if (!locked) {
          await this.sleep(1000); // standby: another instance relays for this producer
          continue;
        }
        await this.listen(this.runner);
        this.active = true;
        while (this.running) {
          this.nudged = false;
          const published = await this.pass(this.runner);
          failures = 0;
          // Writers nudge after they commit (and sometimes before): sleep only when nothing came in meanwhile.
          if (published === 0 && !this.nudged) await this.sleep(this.opts.pollMs);
        }
      } catch (err) {
        failures++;
        this.log.warn({ err: String(err?.message ?? err), failures }, 'outbox relay pass failed; retrying');
        this.active = false;
        // Destroy the connection rather than pool it: it holds the session advisory lock, and a pooled
        // connection would keep holding it, leaving this relay (and every other) standing by for good.
        await this.release(true);
        await this.sleep(Math.min(100 * 2 ** failures, 5000));
      }
    }
    this.active = false;
    if (this.runner) {
      // Deleting what was published saves the next relay republishing it; harmless if it fails.
      if (this.published.length) await this.runner.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [this.published]).then(() => (this.published = []), () => undefined);
      await this.runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey()]).catch(() => undefined);
      await this.release();
    }
  }

  /** Active relay: wake on a standby instance's NOTIFY. */
  private async listen(runner: QueryRunner): Promise<void> {
    const client = (runner as unknown as { databaseConnection: import('pg').PoolClient }).databaseConnection;
    client.on('notification', this.onNotification);
    await runner.query(`LISTEN ${CHANNEL}`);
  }

  private readonly onNotification = (msg: { channel: string; payload?: string }) => {
    if (msg.channel !== CHANNEL || msg.payload !== this.producerName) return;
    this.nudged = true;
    this.wake?.();
  };

  private async release(destroy = false): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    (runner as unknown as { databaseConnection?: import('pg').PoolClient }).databaseConnection?.removeListener('notification', this.onNotification);
    if (destroy) {
      // pg-pool closes a client released with an error; the session (and its lock) ends with it.
      await (runner as unknown as { releasePostgresConnection(err: Error): Promise<void> }).releasePostgresConnection(new Error('outbox relay reset')).catch(() => undefined);
      return;
    }
    await runner.query('UNLISTEN *').catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  /**
   * One batch: delete what the previous pass published and read the next rows
   * (one statement; it reads the snapshot from before its own delete, hence the
   * filter), publish them. Returns how many rows were published.
   */
  private async pass(runner: QueryRunner): Promise<number> {
    const rows: OutboxRow[] = await runner.query(
      `WITH gone AS (DELETE FROM outbox WHERE seq = ANY($3::bigint[]))
       SELECT seq, topic, key, envelope::text AS body, id, envelope->>'type' AS type, envelope->>'correlationId' AS correlation_id, created_at FROM outbox WHERE producer = $1 AND NOT (seq = ANY($3::bigint[])) ORDER BY seq LIMIT $2`,
      [this.producerName, this.opts.batchSize, this.published],
    );
    this.published = [];
    if (!rows.length) {
      this.metrics.outboxLagSeconds.set(0);
      this.metrics.outboxPending.set(0);
      return 0;
    }
    this.metrics.outboxPending.set(rows.length);
    this.metrics.outboxLagSeconds.set((Date.now() - new Date(rows[0].created_at).getTime()) / 1000);
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const r of rows) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({
        key: r.key,
        value: r.body,
        headers: { 'message-id': r.id, 'message-type': r.type, 'correlation-id': r.correlation_id },
      });
      byTopic.set(r.topic, list);
    }
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    for (const [topic, messages] of byTopic) this.metrics.produced.inc({ topic }, messages.length);
    this.published = rows.map((r) => r.seq);
    return rows.length;
  }
}
