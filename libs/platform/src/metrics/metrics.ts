import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one service. A registry per service (not prom-client's
 * global one) so several services can share a process in tests.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly consumed: Counter<'topic' | 'result'>;
  readonly produced: Counter<'topic'>;
  readonly outboxLagSeconds: Gauge;
  readonly outboxPending: Gauge;
  readonly handleSeconds: Histogram<'topic'>;
  readonly sagaTransitions: Counter<'event_type' | 'from' | 'to'>;
  readonly webhookAttempts: Counter<'result'>;
  readonly refunds: Counter<'outcome'>;
  readonly notifications: Counter<'outcome'>;

  constructor(readonly service: string, withDefaults = true) {
    this.registry.setDefaultLabels({ service });
    if (withDefaults) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.consumed = new Counter({ name: 'messages_consumed_total', help: 'Kafka messages handled', labelNames: ['topic', 'result'], registers });
    this.produced = new Counter({ name: 'messages_produced_total', help: 'Kafka messages published by the outbox relay', labelNames: ['topic'], registers });
    this.outboxLagSeconds = new Gauge({ name: 'outbox_lag_seconds', help: 'Age of the oldest unpublished outbox row', registers });
    this.outboxPending = new Gauge({ name: 'outbox_pending', help: 'Unpublished outbox rows seen by the last relay pass', registers });
    this.handleSeconds = new Histogram({ name: 'message_handle_seconds', help: 'Time to handle a batch of messages', labelNames: ['topic'], registers, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    this.sagaTransitions = new Counter({ name: 'saga_transitions_total', help: 'Saga state transitions', labelNames: ['event_type', 'from', 'to'], registers });
    this.webhookAttempts = new Counter({ name: 'webhook_attempts_total', help: 'Supplier webhook delivery attempts', labelNames: ['result'], registers });
    this.refunds = new Counter({ name: 'refunds_total', help: 'Refund attempts at the store', labelNames: ['outcome'], registers });
    this.notifications = new Counter({ name: 'notifications_total', help: 'Customer e-mails', labelNames: ['outcome'], registers });
  }
}
