import { EntityManager } from 'typeorm';
import { buildEnvelope, Envelope, EnvelopeMeta } from '@app/contracts';
import { BatchScope, OutboxWriter, TaskQueue } from '@app/platform';
import type { SagaData } from '../domain/saga-data';

export interface SagaRow {
  id: string;
  return_id: string;
  tenant_id: string;
  event_type: string;
  state: string;
  definition_version: number;
  data: SagaData;
  version: number;
}

interface Dirty {
  row: SagaRow;
  steps: number;
  updatedAt: Date;
  closedAt?: Date;
}

interface TaskOp {
  queue: string;
  key: string;
  op: 'schedule' | 'cancel';
  runAt?: Date;
  payload?: object;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const buffers = new WeakMap<EntityManager, SagaWrites>();

/**
 * The saga runner's writes in one transaction. Inside a consumer batch
 * (BatchScope) they are buffered and written once, just before the batch
 * commits: one statement each for saga rows, transitions, outbox messages,
 * deadlines and ledger rows, however many messages the batch held, and the
 * batch's sagas are locked with one SELECT ... FOR UPDATE (in id order).
 * Anywhere else (a saga timer's own transaction) each step is written at once.
 * Saga rows stay cached for the transaction: it holds their locks.
 */
export class SagaWrites {
  private readonly rows = new Map<string, SagaRow>();
  private readonly dirty = new Map<string, Dirty>();
  private transitions: unknown[][] = [];
  private envelopes: Envelope<object>[] = [];
  private tasks: TaskOp[] = [];
  private ledgerRows: unknown[][] = [];
  private preloaded = false;

  private constructor(private readonly m: EntityManager, private readonly outbox: OutboxWriter) {}

  static for(m: EntityManager, outbox: OutboxWriter): SagaWrites {
    let w = buffers.get(m);
    if (!w) buffers.set(m, (w = new SagaWrites(m, outbox)));
    return w;
  }

  /** The saga, locked for this transaction. */
  async load(sagaId: string): Promise<SagaRow | undefined> {
    const cached = this.rows.get(sagaId);
    if (cached) return cached;
    const batch = BatchScope.of(this.m);
    const ids = new Set([sagaId]);
    if (batch && !this.preloaded) {
      this.preloaded = true;
      for (const e of batch.envelopes) {
        const id = (e.payload as { sagaId?: unknown }).sagaId;
        if (typeof id === 'string' && UUID.test(id)) ids.add(id);
      }
    }
    const rows: SagaRow[] = await this.m.query(
      `SELECT id, return_id, tenant_id, event_type, state, definition_version, data, version FROM sagas WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...ids]],
    );
    for (const r of rows) if (!this.rows.has(r.id)) this.rows.set(r.id, r);
    return this.rows.get(sagaId);
  }

  /** A saga just inserted in this transaction (so no need to read it back). */
  seed(row: SagaRow): void {
    this.rows.set(row.id, row);
  }

  /** The saga's new state; `closes` stamps closed_at. */
  save(row: SagaRow, state: string, data: SagaData, at: Date, closes: boolean): void {
    row.state = state;
    row.data = data;
    row.version += 1;
    const d = this.dirty.get(row.id) ?? { row, steps: 0, updatedAt: at };
    d.steps += 1;
    d.updatedAt = at;
    if (closes && !d.closedAt) d.closedAt = at;
    this.dirty.set(row.id, d);
  }

  transition(sagaId: string, from: string, to: string, cause: string, messageId: string | null, detail: object, at: Date): void {
    this.transitions.push([sagaId, from, to, cause, messageId, JSON.stringify(detail), at]);
  }

  /** Like OutboxWriter.emit: builds and validates the message now, writes it with the rest. */
  async emit<P extends object>(_m: EntityManager, type: string, meta: Omit<EnvelopeMeta, 'producer'>, payload: P): Promise<Envelope<P>> {
    const envelope = buildEnvelope(type, { ...meta, producer: this.outbox.producer }, payload);
    this.envelopes.push(envelope);
    return envelope;
  }

  async schedule(_m: EntityManager, queue: string, key: string, runAt: Date, payload: object = {}): Promise<void> {
    this.tasks.push({ queue, key, op: 'schedule', runAt, payload });
  }

  async cancel(_m: EntityManager, queue: string, key: string): Promise<void> {
    this.tasks.push({ queue, key, op: 'cancel' });
  }

  ledger(sagaId: string, tenantId: string, kind: string, amountMinor: number, currency: string, reference: string | null, at: Date): void {
    this.ledgerRows.push([sagaId, tenantId, kind, amountMinor, currency, reference, at]);
  }

  /** End of one saga step: written with the batch, or now outside one. */
  async stepDone(): Promise<void> {
    if (!BatchScope.defer(this.m, 'saga-writes', () => this.flush())) await this.flush();
  }

  private async flush(): Promise<void> {
    const m = this.m;
    const dirty = [...this.dirty.values()];
    const transitions = this.transitions;
    const envelopes = this.envelopes;
    const tasks = this.tasks;
    const ledger = this.ledgerRows;
    this.dirty.clear();
    this.transitions = [];
    this.envelopes = [];
    this.tasks = [];
    this.ledgerRows = [];
    if (dirty.length) {
      await m.query(
        `UPDATE sagas s SET state = u.state, data = u.data::jsonb, version = s.version + u.steps, updated_at = u.updated_at, closed_at = coalesce(s.closed_at, u.closed_at)
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[]) AS u(id, state, data, steps, updated_at, closed_at)
         WHERE s.id = u.id`,
        [dirty.map((d) => d.row.id), dirty.map((d) => d.row.state), dirty.map((d) => JSON.stringify(d.row.data)), dirty.map((d) => d.steps), dirty.map((d) => d.updatedAt), dirty.map((d) => d.closedAt ?? null)],
      );
    }
    if (transitions.length) {
      const col = (i: number) => transitions.map((t) => t[i]);
      await m.query(
        `INSERT INTO saga_transitions (saga_id, from_state, to_state, cause, message_id, detail, at)
         SELECT saga_id, from_state, to_state, cause, message_id, detail::jsonb, at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::timestamptz[]) WITH ORDINALITY AS t(saga_id, from_state, to_state, cause, message_id, detail, at, n)
         ORDER BY n`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6)],
      );
    }
    await this.outbox.append(m, envelopes);
    // Per deadline only its last operation counts; a schedule cancelled later in the batch is stored cancelled.
    const last = new Map<string, TaskOp & { scheduled: boolean }>();
    for (const t of tasks) {
      const k = `${t.queue}\u0000${t.key}`;
      const prev = last.get(k);
      last.set(k, t.op === 'schedule' ? { ...t, scheduled: true } : { ...(prev ?? t), op: 'cancel', scheduled: prev?.scheduled ?? false });
    }
    const finals = [...last.values()];
    await TaskQueue.scheduleMany(m, finals.filter((t) => t.scheduled).map((t) => ({ queue: t.queue, key: t.key, runAt: t.runAt!, payload: t.payload, cancelled: t.op === 'cancel' })));
    const cancels = finals.filter((t) => !t.scheduled);
    for (const queue of new Set(cancels.map((t) => t.queue))) await TaskQueue.cancelMany(m, queue, cancels.filter((t) => t.queue === queue).map((t) => t.key));
    if (ledger.length) {
      const col = (i: number) => ledger.map((l) => l[i]);
      await m.query(
        `INSERT INTO ledger_entries (saga_id, tenant_id, kind, amount_minor, currency, reference, at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[])
         ON CONFLICT (saga_id, kind, reference) DO NOTHING`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6)],
      );
    }
  }
}
