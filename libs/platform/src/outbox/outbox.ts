import { EntityManager } from 'typeorm';
import { buildEnvelope, Envelope, EnvelopeMeta, topicOf } from '@app/contracts';

/**
 * Appends messages to the outbox inside the caller's transaction: they are
 * published only if, and after, the state change commits.
 */
export class OutboxWriter {
  constructor(readonly producer: string, private readonly onAppend: () => void = () => undefined) {}

  async append(manager: EntityManager, envelopes: Envelope<object>[]): Promise<void> {
    if (!envelopes.length) return;
    const ids: string[] = [];
    const topics: string[] = [];
    const keys: string[] = [];
    const bodies: string[] = [];
    for (const e of envelopes) {
      ids.push(e.id);
      topics.push(topicOf(e.type));
      keys.push(e.returnId);
      bodies.push(JSON.stringify(e));
    }
    await manager.query(
      `INSERT INTO outbox (id, producer, topic, key, envelope)
       SELECT id, $1, topic, key, body::json FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(id, topic, key, body)`,
      [this.producer, ids, topics, keys, bodies],
    );
    // Wakes the relay; if it looks before our commit it finds nothing and polls again shortly.
    this.onAppend();
  }

  /** Builds (and validates) one message and appends it. */
  async emit<P extends object>(manager: EntityManager, type: string, meta: Omit<EnvelopeMeta, 'producer'>, payload: P): Promise<Envelope<P>> {
    const envelope = buildEnvelope(type, { ...meta, producer: this.producer }, payload);
    await this.append(manager, [envelope]);
    return envelope;
  }
}
