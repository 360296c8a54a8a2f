import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import {
  Envelope, IssueRefund, RemindSupplier, RequestSupplierAction, ReturnReported, SagaTransitioned, SendCustomerNotification,
  WithdrawSupplierRequest, supplierSlaMs,
} from '@app/contracts';
import { Clock, LOGGER, Messaging, Metrics, PermanentMessageError } from '@app/platform';
import { decideAll, SagaDefinition } from '../domain/engine';
import { interpret } from '../domain/interpret';
import { Effect, SagaData } from '../domain/saga-data';
import { initialData } from '../domain/steps';
import { stableId } from '@app/contracts';
import { definitionFor } from '../definitions';
import { SagaRow, SagaWrites } from './saga-writes';

export const SAGA_TIMER_QUEUE = 'saga-timer';

/** The first saga of a return has an id derived from it, so a repeated start finds it. */
export const sagaIdFor = (returnId: string) => stableId(returnId, 'saga', '1');

interface Cause {
  type: string;
  payload: unknown;
  messageId?: string;
  correlationId: string;
}

/**
 * Runs sagas: loads one under a row lock, interprets the message, decides the
 * transition from the definition's table, and in the same transaction saves
 * the new state, records the transition and turns effects into outbox
 * messages, deadlines and ledger rows.
 */
@Injectable()
export class SagaRunner {
  constructor(
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Starts the saga for a reported return (once: one open saga per return). */
  async start(m: EntityManager, env: Envelope<ReturnReported>): Promise<void> {
    const def = definitionFor(env.payload.eventType);
    if (!def) throw new PermanentMessageError(`no saga for event type ${env.payload.eventType}`);
    const sagaId = sagaIdFor(env.returnId);
    const claimPolicy = env.payload.claims[0];
    const data = initialData(sagaId, env.payload);
    // The partial unique index keeps one open saga per return; a repeat start is a no-op.
    const inserted = await m.query(
      `INSERT INTO sagas (id, return_id, tenant_id, event_type, state, definition_version, tenant_policy_version, supplier_policy_version, data, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [sagaId, env.returnId, env.tenantId, def.eventType, def.initial, def.version, env.payload.tenantPolicyVersion, claimPolicy?.policyVersion ?? null,
        JSON.stringify(data), this.clock.now()],
    );
    if (!inserted.length) return;
    SagaWrites.for(m, this.messaging.outbox).seed({
      id: sagaId, return_id: env.returnId, tenant_id: env.tenantId, event_type: def.eventType, state: def.initial, definition_version: def.version, data, version: 0,
    });
    await this.apply(m, sagaId, { type: 'ReturnReported', payload: env.payload, messageId: env.id, correlationId: env.correlationId });
  }

  /** Applies a message or timer to an existing saga. Its writes go out with the consumer batch (SagaWrites). */
  async apply(m: EntityManager, sagaId: string, cause: Cause): Promise<void> {
    const w = SagaWrites.for(m, this.messaging.outbox);
    const saga = await w.load(sagaId);
    if (!saga) throw new PermanentMessageError(`saga ${sagaId} not found`);
    const def = definitionFor(saga.event_type);
    if (!def || def.version !== saga.definition_version) throw new PermanentMessageError(`no definition ${saga.event_type} v${saga.definition_version}`);
    const now = this.clock.now();
    const fact = interpret(saga.data, cause.type, cause.payload, now);
    // The event, then any outcome its actions already know (raised), each recorded as its own transition.
    const decisions = decideAll(def, saga.state, fact.data, fact.event, { sagaId, now });
    const meta = { returnId: saga.return_id, tenantId: saga.tenant_id, correlationId: cause.correlationId, causationId: cause.messageId };
    let state = saga.state;
    let data = fact.data;
    const effects = [...fact.effects];
    for (const [i, decision] of decisions.entries()) {
      const from = state;
      if (decision.kind === 'transition') {
        state = decision.to;
        data = decision.data;
        effects.push(...decision.effects);
      }
      const description = decision.kind === 'transition' ? decision.description : `${i === 0 ? fact.event.name : 'raised event'} (no transition: recorded)`;
      w.transition(sagaId, from, state, description, i === 0 ? (cause.messageId ?? null) : null,
        { type: i === 0 ? cause.type : 'raised', event: i === 0 ? (fact.event.detail ?? null) : null, effects: (decision.kind === 'transition' ? decision.effects : []).map((e) => e.kind) }, now);
      if (decision.kind === 'transition') {
        this.metrics.sagaTransitions.inc({ event_type: saga.event_type, from, to: state });
        await w.emit<SagaTransitioned>(m, 'SagaTransitioned', meta, { sagaId, eventType: saga.event_type, from, to: state, cause: description, at: now.toISOString() });
      }
      this.log.info({ returnId: saga.return_id, sagaId, from, to: state, cause: description, correlationId: cause.correlationId }, 'saga step');
    }
    const closes = def.terminal.includes(state) && !def.terminal.includes(saga.state);
    await this.applyEffects(m, def, { ...saga, data }, effects, meta);
    w.save(saga, state, data, now, closes);
    await w.stepDone();
  }

  private async applyEffects(m: EntityManager, def: SagaDefinition, saga: SagaRow, effects: Effect[], meta: { returnId: string; tenantId: string; correlationId: string; causationId?: string }): Promise<void> {
    const c = saga.data.case;
    const outbox = SagaWrites.for(m, this.messaging.outbox); // messages, deadlines and ledger rows go out with the step's other writes
    const now = this.clock.now();
    for (const e of effects) {
      switch (e.kind) {
        case 'supplier.request': {
          const claim = saga.data.claims.find((x) => x.supplierId === e.supplierId)!;
          const caseClaim = c.claims.find((x) => x.supplierId === e.supplierId)!;
          await outbox.emit<RequestSupplierAction>(m, 'RequestSupplierAction', meta, {
            sagaId: saga.id, requestId: claim.requestId, supplierId: claim.supplierId, kind: claim.requestKind, eventType: c.eventType,
            externalOrderId: c.externalOrderId, lines: caseClaim.lines, amountMinor: claim.claimMinor, currency: c.currency,
            evidenceUrls: saga.data.evidenceUrls, reason: c.reason,
            answerBy: new Date(now.getTime() + supplierSlaMs(caseClaim.policy)).toISOString(),
          });
          break;
        }
        case 'supplier.remind': {
          const claim = saga.data.claims.find((x) => x.supplierId === e.supplierId)!;
          await outbox.emit<RemindSupplier>(m, 'RemindSupplier', meta, { sagaId: saga.id, requestId: claim.requestId, supplierId: claim.supplierId });
          break;
        }
        case 'supplier.withdraw': {
          const claim = saga.data.claims.find((x) => x.supplierId === e.supplierId)!;
          await outbox.emit<WithdrawSupplierRequest>(m, 'WithdrawSupplierRequest', meta, { sagaId: saga.id, requestId: claim.requestId, supplierId: claim.supplierId, reason: e.reason });
          break;
        }
        case 'refund': {
          const r = saga.data.refunds[e.purpose]!;
          // Goodwill is a plain amount (no items, no shipping); a cancel refunds the items like a claim does.
          const lines = e.purpose === 'GOODWILL' ? [] : c.claims.flatMap((k) => k.lines);
          const linesMinor = lines.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0);
          await outbox.emit<IssueRefund>(m, 'IssueRefund', meta, {
            sagaId: saga.id, refundId: r.refundId, purpose: e.purpose, externalOrderId: c.externalOrderId, currency: c.currency, shopCurrency: c.shopCurrency,
            amountMinor: r.amountMinor,
            lines: lines.map((l) => ({ externalLineId: l.externalLineId, quantity: l.quantity, amountMinor: l.unitPriceMinor * l.quantity })),
            shippingMinor: e.purpose === 'GOODWILL' ? 0 : Math.max(0, r.amountMinor - linesMinor),
            note: `${c.eventType} return ${saga.return_id}`,
          });
          break;
        }
        case 'notify':
          await outbox.emit<SendCustomerNotification>(m, 'SendCustomerNotification', meta, {
            sagaId: saga.id, template: e.template, locale: c.locale, to: c.customer.email, brandName: c.brand.name, senderEmail: c.brand.senderEmail, vars: e.vars,
          });
          break;
        case 'timer.set':
          await outbox.schedule(m, SAGA_TIMER_QUEUE, `${saga.id}:${e.timer}`, e.at, { sagaId: saga.id, timer: e.timer, correlationId: meta.correlationId });
          break;
        case 'timer.cancel':
          await outbox.cancel(m, SAGA_TIMER_QUEUE, `${saga.id}:${e.timer}`);
          break;
        case 'ledger':
          outbox.ledger(saga.id, saga.tenant_id, e.entry, e.amountMinor, c.currency, e.reference, now);
          break;
        case 'raise': // consumed by decideAll
          break;
        case 'alert':
          this.log.warn({ returnId: saga.return_id, sagaId: saga.id, eventType: def.eventType, alert: e.reason }, 'ops alert: case needs attention');
          break;
      }
    }
  }
}
