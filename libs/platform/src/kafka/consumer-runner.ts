import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { decodeMessage, Envelope, Topics } from '@app/contracts';
import { Metrics } from '../metrics/metrics';
import { isTransientInfraError } from '../database/errors';
import './request-queue-fix';

/** Thrown by a handler when retrying cannot help: the message goes to the dead-letter topic at once. */
export class PermanentMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}

export interface HandlerContext {
  manager: EntityManager;
  log: Logger;
}

export type MessageHandler = (envelope: Envelope<object>, ctx: HandlerContext) => Promise<void>;

export interface ConsumerSpec {
  /** Consumer group (also the inbox's consumer name). */
  group: string;
  topics: string[];
  handle: MessageHandler;
  /** Attempts for a failing message before it is dead-lettered (infrastructure errors retry forever). */
  maxAttempts?: number;
  /** Session timeout (default 10 s): a crashed member's partitions move after this long. */
  sessionTimeoutMs?: number;
  /** Longest a fetch waits for data (default 100 ms). */
  fetchMaxWaitMs?: number;
  /**
   * For consumers with no database effect (a live feed): no inbox, no
   * transaction, failures logged and skipped instead of retried or parked.
   */
  ephemeral?: boolean;
  /** Ephemeral consumers: while this says so (e.g. no browser is listening), messages are passed over undecoded. */
  idle?: () => boolean;
  /**
   * Where a group with no committed offset starts (default: the beginning).
   * Ephemeral consumers never commit offsets, so for them this is where every start begins.
   */
  fromBeginning?: boolean;
}

/**
 * A consumer batch's transaction as its handlers see it: the batch's fresh
 * messages, and work deferred to just before it commits. A handler that
 * buffers writes flushes them once per batch instead of once per message.
 */
export class BatchScope {
  private static readonly scopes = new WeakMap<EntityManager, BatchScope>();
  private readonly flushes = new Map<string, () => Promise<void>>();

  private constructor(readonly envelopes: readonly Envelope<object>[]) {}

  /** The batch whose transaction `m` is, if any. */
  static of(m: EntityManager): BatchScope | undefined {
    return BatchScope.scopes.get(m);
  }

  /**
   * Runs `flush` once (per key), after the batch's last handler and before its
   * commit. Returns false outside a consumer batch: the caller then does the work at once.
   */
  static defer(m: EntityManager, key: string, flush: () => Promise<void>): boolean {
    const scope = BatchScope.scopes.get(m);
    if (!scope) return false;
    if (!scope.flushes.has(key)) scope.flushes.set(key, flush);
    return true;
  }

  static async run(m: EntityManager, envelopes: Envelope<object>[], handle: () => Promise<void>): Promise<void> {
    const scope = new BatchScope(envelopes);
    BatchScope.scopes.set(m, scope);
    try {
      await handle();
      for (const flush of scope.flushes.values()) await flush();
    } finally {
      BatchScope.scopes.delete(m);
    }
  }
}

interface BatchCtx {
  topic: string;
  partition: number;
  resolveOffset: (offset: string) => void;
  heartbeat: () => Promise<void>;
  commitOffsetsIfNecessary: () => Promise<void>;
  isRunning: () => boolean;
  isStale: () => boolean;
}

interface Decoded {
  topic: string;
  message: KafkaMessage;
  envelope?: Envelope<object>;
  reason?: string;
}

/**
 * Runs a consumer group: decode and validate each message, dedupe through the
 * inbox and apply the handler in one database transaction per batch (falling
 * back to one per message when a batch fails), and commit offsets only after
 * the database has committed. Invalid or repeatedly failing messages go to the
 * dead-letter topic with the reason, and the partition moves on.
 */
export class ConsumerRunner {
  private consumer?: Consumer;
  private stopping = false;
  /** Partition batches waiting for the next group transaction. */
  private group: { items: Decoded[]; resolve: (r: 'done' | 'failed' | 'failed-alone') => void }[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly ds: DataSource,
    private readonly dlqProducer: Producer,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly spec: ConsumerSpec,
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.spec.group,
      allowAutoTopicCreation: false,
      sessionTimeout: this.spec.sessionTimeoutMs ?? 10_000,
      rebalanceTimeout: this.spec.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: this.spec.fetchMaxWaitMs ?? 100,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    // kafkajs restarts a crashed consumer only after a retriable error; after any other (e.g. a protocol
    // error during a rebalance) it stays stopped while the service looks healthy. Start a new one instead.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping || this.consumer !== consumer) return;
      this.log.error({ err: String(payload.error?.message ?? payload.error), group: this.spec.group }, 'consumer crashed and was not restarted; starting a new one');
      setTimeout(() => void this.restart(consumer), 1_000);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.spec.topics, fromBeginning: this.spec.fromBeginning ?? true });
    await consumer.run({
      // An ephemeral group commits no offsets: it holds no state on the broker, and Kafka drops it once its member leaves.
      autoCommit: !this.spec.ephemeral,
      autoCommitInterval: this.spec.ephemeral ? null : 500,
      eachBatchAutoResolve: false,
      // Partitions of a fetch handled at once share one group transaction (applyTogether): room for
      // six per topic, so a fetch across all of a consumer's topics commits together.
      partitionsConsumedConcurrently: Math.min(64, 6 * this.spec.topics.length),
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.stopping || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (err) {
      this.log.error({ err: String(err?.message ?? err), group: this.spec.group }, 'consumer restart failed; trying again');
      setTimeout(() => void this.restart(this.consumer!), 2_000);
    }
  }

  private async onBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const started = process.hrtime.bigint();
    if (this.spec.ephemeral && this.spec.idle?.() && batch.messages.length) {
      resolveOffset(batch.messages[batch.messages.length - 1].offset);
      return;
    }
    const decoded: Decoded[] = batch.messages.map((message) => {
      const d = decodeMessage(batch.topic, message.value);
      return d.ok ? { topic: batch.topic, message, envelope: d.envelope } : { topic: batch.topic, message, reason: d.reason };
    });

    const ctx: BatchCtx = { topic: batch.topic, partition: batch.partition, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale };
    if (this.spec.ephemeral) await this.fanOut(ctx, decoded);
    else {
      const shared = await this.applyTogether(decoded);
      if (shared === 'done') await this.settle(ctx, decoded, true);
      else await this.applyRange(ctx, decoded, true, shared === 'failed-alone');
    }
    if (!isRunning() || isStale()) return;
    if (!this.spec.ephemeral) await commitOffsetsIfNecessary();
    await heartbeat();
    this.metrics.handleSeconds.observe({ topic: batch.topic }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * Group commit: kafkajs hands a fetch's partitions to concurrent `eachBatch`
   * calls, and fetches again only when all are done. Those that arrive in the
   * same turn of the event loop are applied in one transaction (each
   * partition's messages stay in order; partitions are independent), so a
   * fetch costs one commit, not one per partition. If that transaction fails,
   * each partition's batch goes its own way (applyRange).
   */
  private applyTogether(items: Decoded[]): Promise<'done' | 'failed' | 'failed-alone'> {
    if (!items.some((d) => d.envelope)) return Promise.resolve('failed-alone'); // nothing to apply: applyRange parks the invalid ones
    return new Promise((resolve) => {
      this.group.push({ items, resolve });
      if (this.group.length === 1) setImmediate(() => void this.flushGroup());
    });
  }

  private async flushGroup(): Promise<void> {
    const members = this.group;
    this.group = [];
    const valid = members.flatMap((g) => g.items.filter((d) => d.envelope));
    try {
      await this.ds.transaction((manager) => this.applyAll(manager, valid));
      this.afterCommit();
      for (const g of members) g.resolve('done');
    } catch (err) {
      this.log.debug({ err: String(err?.message ?? err), partitions: members.length, messages: valid.length }, 'group transaction failed; partition by partition');
      for (const g of members) g.resolve(members.length === 1 ? 'failed-alone' : 'failed');
    }
  }

  /**
   * Applies `items` (in offset order) in one transaction; when that fails,
   * splits them in halves and tries again, down to single messages, which get
   * their retries and may be dead-lettered. One poison message among n thus
   * costs about 2·log2(n) failed transactions, not n single-message ones.
   * Returns false when the consumer lost the partition midway (the rest is left to its new owner).
   */
  private async applyRange(ctx: BatchCtx, items: Decoded[], whole = false, wholeFailed = false): Promise<boolean> {
    if (!items.length) return true;
    if (!ctx.isRunning() || ctx.isStale()) return false;
    const valid = items.filter((d) => d.envelope);
    if (valid.length === 1 && items.length === 1) {
      await this.applyOne(ctx.topic, ctx.partition, items[0], ctx.heartbeat, ctx.isRunning);
    } else if (valid.length) {
      let done = false;
      if (!wholeFailed) {
        try {
          await this.ds.transaction((manager) => this.applyAll(manager, valid));
          done = true;
          this.afterCommit();
        } catch (err) {
          this.log.debug({ err: String(err?.message ?? err), topic: ctx.topic, messages: valid.length }, 'batch failed; splitting it');
        }
      }
      if (!done) {
        const half = Math.ceil(items.length / 2);
        return (await this.applyRange(ctx, items.slice(0, half))) && this.applyRange(ctx, items.slice(half));
      }
    }
    await this.settle(ctx, items, whole);
    return true;
  }

  /** After `items` were applied (or skipped): parks the invalid ones, moves the offset past them. */
  private async settle(ctx: BatchCtx, items: Decoded[], whole: boolean): Promise<void> {
    for (const d of items) if (!d.envelope) await this.deadLetter(ctx.topic, ctx.partition, d.message, d.reason!);
    ctx.resolveOffset(items[items.length - 1].message.offset);
    // Split batches are slow: commit as we go, so a rebalance midway redoes little.
    if (!whole) await ctx.commitOffsetsIfNecessary();
  }

  /** Ephemeral consumers (e.g. a live feed): no inbox, no transaction; a message that fails is logged and skipped. */
  private async fanOut(ctx: BatchCtx, items: Decoded[]): Promise<void> {
    for (const d of items) {
      if (!d.envelope) {
        this.log.warn({ topic: ctx.topic, offset: d.message.offset, reason: d.reason }, 'invalid message skipped');
        continue;
      }
      try {
        await this.spec.handle(d.envelope, { manager: this.ds.manager, log: this.log });
        this.metrics.consumed.inc({ topic: ctx.topic, result: 'ok' });
      } catch (err) {
        this.log.warn({ topic: ctx.topic, messageId: d.envelope.id, err: String(err?.message ?? err) }, 'message skipped: handler failed');
      }
    }
    if (items.length) ctx.resolveOffset(items[items.length - 1].message.offset);
  }

  /** Dedupes through the inbox, then handles the new messages, in the caller's transaction. */
  private async applyAll(manager: EntityManager, items: Decoded[]): Promise<void> {
    const ids = items.map((d) => d.envelope!.id);
    const fresh: { message_id: string }[] = await manager.query(
      `INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING message_id`,
      [this.spec.group, ids],
    );
    const freshIds = new Set(fresh.map((r) => r.message_id));
    const seen = new Set<string>();
    const isNew = items.map((d) => {
      const id = d.envelope!.id;
      const first = freshIds.has(id) && !seen.has(id);
      seen.add(id);
      return first;
    });
    await BatchScope.run(manager, items.filter((_, i) => isNew[i]).map((d) => d.envelope!), async () => {
      for (const [i, d] of items.entries()) {
        const env = d.envelope!;
        const topic = d.topic;
        const sagaId = (env.payload as { sagaId?: string }).sagaId; // most payloads name their saga: logged so a case can be followed by saga id too
        const line = { topic, type: env.type, messageId: env.id, returnId: env.returnId, sagaId, tenantId: env.tenantId, correlationId: env.correlationId };
        if (!isNew[i]) {
          this.metrics.consumed.inc({ topic, result: 'duplicate' });
          this.log.info({ ...line, result: 'duplicate' }, 'message skipped (already handled)');
          continue;
        }
        const log = this.log.child({ returnId: env.returnId, sagaId, messageId: env.id, correlationId: env.correlationId });
        await this.spec.handle(env, { manager, log });
        this.metrics.consumed.inc({ topic, result: 'ok' });
        this.log.info({ ...line, result: 'handled' }, 'message handled');
      }
    });
  }

  private async applyOne(topic: string, partition: number, d: Decoded, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const maxAttempts = this.spec.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ds.transaction((manager) => this.applyAll(manager, [d]));
        this.afterCommit();
        return;
      } catch (err) {
        const transient = isTransientInfraError(err);
        const permanent = err instanceof PermanentMessageError;
        if (permanent || (!transient && attempt >= maxAttempts)) {
          await this.deadLetter(topic, partition, d.message, `${permanent ? 'rejected' : `failed ${attempt} times`}: ${err?.message ?? err}`);
          await this.markParked(d.envelope!.id);
          return;
        }
        if (this.stopping || !isRunning()) throw err; // leave the offset uncommitted; another member retries
        this.log.warn({ err: String(err?.message ?? err), attempt, transient, returnId: d.envelope?.returnId, messageId: d.envelope?.id }, 'message failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 5_000)));
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /**
   * Records a parked message in the inbox, so that a redelivery (a rebalance
   * before the offset commit) skips it instead of failing it again and
   * parking it twice. Parking stays at-least-once: a crash between the send
   * and this insert parks it again.
   */
  private async markParked(messageId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ds.query(`INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [this.spec.group, messageId]);
        return;
      } catch (err) {
        if (this.stopping || !isTransientInfraError(err)) throw err;
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    this.log.error({ topic, partition, offset: message.offset, reason, result: 'dead_letter' }, 'message dead-lettered');
    this.metrics.consumed.inc({ topic, result: 'dead_letter' });
    // Retried until Kafka takes it: the offset must not move past a message that is neither handled nor parked.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dlqProducer.send({
          topic: Topics.DeadLetter,
          acks: -1,
          messages: [{
            key: message.key,
            value: message.value,
            headers: {
              'dlq-reason': reason.slice(0, 2000),
              'dlq-original-topic': topic,
              'dlq-original-partition': String(partition),
              'dlq-original-offset': message.offset,
              'dlq-consumer-group': this.spec.group,
              'dlq-failed-at': new Date().toISOString(),
            },
          }],
        });
        return;
      } catch (err) {
        if (this.stopping) throw err;
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
      }
    }
  }
}
