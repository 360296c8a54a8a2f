import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { PlatformConfig } from '../config/platform-config';
import { ConsumerRunner, ConsumerSpec } from '../kafka/consumer-runner';
import { Metrics } from '../metrics/metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter } from '../outbox/outbox';
import { LOGGER, PLATFORM_CONFIG, SERVICE_NAME } from './tokens';

/**
 * Kafka for one service: the outbox writer its use cases append to, the relay
 * that publishes it, and its consumer groups. Started after every module has
 * registered its consumers, stopped before the database closes.
 */
@Injectable()
export class Messaging implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly kafka: Kafka;
  readonly outbox: OutboxWriter;
  private readonly producer: Producer;
  private readonly relay: OutboxRelay;
  private readonly specs: ConsumerSpec[] = [];
  private readonly runners: ConsumerRunner[] = [];
  private connected = false;

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
  ) {
    const kafkaLog = log.child({ component: 'kafkajs' });
    this.kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID ?? `returns-${service}`,
      brokers: config.KAFKA_BROKERS.split(','),
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 3_000 },
      logLevel: logLevel.WARN,
      logCreator: () => ({ level, log }) => {
        const { message, ...extra } = log;
        // Bounded retries are deliberate (a send must fail so shutdown and the relay's own retry work); the outbox
        // resends and the inbox dedupes, so kafkajs' warning about idempotence guarantees is noise here.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        if (level <= logLevel.ERROR) kafkaLog.error(extra, message);
        else kafkaLog.warn(extra, message);
      },
    });
    // acks=all on every send (relay and dead-letter). The idempotent producer stops the broker from writing a
    // retried batch twice within this producer's life; across restarts the outbox resends and the inbox dedupes
    // (ADR 001, ADR 008). No transactions: our effects live in Postgres and HTTP, not in Kafka.
    const idempotent = config.KAFKA_IDEMPOTENT !== 'false';
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent,
      maxInFlightRequests: idempotent ? 1 : undefined,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.relay = new OutboxRelay(ds, this.producer, service, log.child({ component: 'outbox-relay' }), metrics, {
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollMs: config.POLL_INTERVAL_MS,
    });
    // No nudge on append: it would come before the commit and cost the relay an empty pass. Writers nudge after
    // committing (the consumer runner does, use cases call nudge()); anything else is found by the relay's poll.
    this.outbox = new OutboxWriter(service);
  }

  /** Registers a consumer group; it starts when the application has bootstrapped. */
  consume(spec: Omit<ConsumerSpec, 'group'> & { group: string }): void {
    this.specs.push({ sessionTimeoutMs: this.config.KAFKA_SESSION_TIMEOUT_MS, fetchMaxWaitMs: this.config.KAFKA_FETCH_MAX_WAIT_MS, ...spec, group: `${this.config.KAFKA_GROUP_PREFIX}.${spec.group}` });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
    this.relay.start();
    for (const spec of this.specs) {
      const runner = new ConsumerRunner(this.kafka, this.ds, this.producer, this.log.child({ component: 'consumer', group: spec.group }), this.metrics, spec, () => this.relay.nudge());
      this.runners.push(runner);
      await runner.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.relay.stop();
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }

  /** Wake the relay (after a transaction outside a consumer appended to the outbox). */
  nudge(): void {
    this.relay.nudge();
  }

  /** For health checks: can we reach the cluster? */
  async ping(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.fetchTopicMetadata({ topics: ['deadletter'] });
    } finally {
      await admin.disconnect();
    }
  }
}
