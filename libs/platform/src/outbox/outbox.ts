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
    await manager.query(
      `INSERT INTO outbox (id, producer, topic, key, envelope)
       SELECT id, $1, topic, key, body::json FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(id, topic, key, body)`,
      [this.producer, ...columns(envelopes)],
    );
    // Wakes the relay; if it looks before our commit it finds nothing and polls again shortly.
    this.onAppend();
  }

  /**
   * Runs `change` (an UPDATE/INSERT … RETURNING, parameters $1…$n) and appends
   * `envelopes` in the same statement, only if it returned a row: a state change
   * and its messages atomic in one round trip, without a transaction. For
   * recording an outside effect (an e-mail accepted) as soon after it as can be.
   * True if the change returned a row.
   */
  async appendWith(manager: EntityManager, change: string, params: unknown[], envelopes: Envelope<object>[]): Promise<boolean> {
    const n = params.length;
    const rows: unknown[] = await manager.query(
      `WITH changed AS (${change})
       INSERT INTO outbox (id, producer, topic, key, envelope)
       SELECT id, $${n + 1}, topic, key, body::json FROM unnest($${n + 2}::uuid[], $${n + 3}::text[], $${n + 4}::text[], $${n + 5}::text[]) AS t(id, topic, key, body)
       WHERE EXISTS (SELECT 1 FROM changed)
       RETURNING id`,
      [...params, this.producer, ...columns(envelopes)],
    );
    if (rows.length) this.onAppend();
    return rows.length > 0;
  }

  /** Builds (and validates) one message of this producer, to append later. */
  build<P extends object>(type: string, meta: Omit<EnvelopeMeta, 'producer'>, payload: P): Envelope<P> {
    return buildEnvelope(type, { ...meta, producer: this.producer }, payload);
  }

  /** Builds (and validates) one message and appends it. */
  async emit<P extends object>(manager: EntityManager, type: string, meta: Omit<EnvelopeMeta, 'producer'>, payload: P): Promise<Envelope<P>> {
    const envelope = this.build(type, meta, payload);
    await this.append(manager, [envelope]);
    return envelope;
  }
}

/** ids, topics, keys, bodies: the outbox columns of `envelopes`, for unnest. */
function columns(envelopes: Envelope<object>[]): [string[], string[], string[], string[]] {
  return [envelopes.map((e) => e.id), envelopes.map((e) => topicOf(e.type)), envelopes.map((e) => e.returnId), envelopes.map((e) => JSON.stringify(e))];
}
