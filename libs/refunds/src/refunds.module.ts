import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Envelope, IssueRefund, RefundFailed, RefundIssued, Topics } from '@app/contracts';
import { Clock, LOGGER, Messaging, Metrics, SecretBox, secretContext, TaskOutcome, TaskQueue, TaskRow, TaskScheduler } from '@app/platform';
import { ShopifyRefunds, StoreCreditResult, StoreRefunds } from './shopify-refunds';

export const REFUND_QUEUE = 'refund';
export const STORE_REFUNDS = Symbol('STORE_REFUNDS');
/** Attempts before a refund that keeps failing is handed to ops (about a day with the backoff below). */
export const MAX_REFUND_ATTEMPTS = 12;

interface RefundRow {
  id: string;
  saga_id: string;
  return_id: string;
  tenant_id: string;
  purpose: IssueRefund['purpose'];
  external_order_id: string;
  amount_minor: string;
  currency: string;
  request: IssueRefund;
  status: string;
  attempts: number;
  store_url: string | null;
  store_access_token: string | null;
  provider_refund_id: string | null;
  gift_card_code: string | null;
  shop_currency: string;
  key_generation: number;
}

/** The idempotency key sent to the store: the refund id, plus a generation once a definite refusal was retried by ops. */
export const storeKeyFor = (r: { id: string; key_generation: number }) => (r.key_generation ? `${r.id}/${r.key_generation}` : r.id);

/**
 * Issues customer refunds and store credit exactly once: a refund row per
 * refund id (the idempotency key, also sent to the store), attempts driven by
 * the durable task queue, and the outcome published through the outbox.
 */
@Injectable()
export class RefundIssuer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly tasks: TaskScheduler,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(STORE_REFUNDS) private readonly store: StoreRefunds,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly secrets: SecretBox,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({ group: 'refunds', topics: [Topics.RefundCommands], handle: (env, { manager }) => this.accept(manager, env as Envelope<IssueRefund>) });
    this.tasks.handle(REFUND_QUEUE, (task) => this.attempt(task));
  }

  private async accept(m: EntityManager, env: Envelope<IssueRefund>): Promise<void> {
    const cmd = env.payload;
    const [existing] = await m.query(`SELECT status, provider_refund_id, amount_minor, gift_card_code FROM refunds WHERE id = $1 FOR UPDATE`, [cmd.refundId]);
    const meta = { returnId: env.returnId, tenantId: env.tenantId, correlationId: env.correlationId, causationId: env.id };
    if (existing?.status === 'SUCCEEDED') {
      // Asked again for a refund already paid: report it again, never pay again.
      await this.messaging.outbox.emit<RefundIssued>(m, 'RefundIssued', meta, {
        sagaId: cmd.sagaId, refundId: cmd.refundId, purpose: cmd.purpose, amountMinor: Number(existing.amount_minor), currency: cmd.currency, providerRefundId: existing.provider_refund_id,
        ...(existing.gift_card_code ? { giftCardCode: existing.gift_card_code } : {}),
      });
      return;
    }
    if (existing?.status === 'PENDING') return;
    if (existing?.status === 'FAILED') {
      await m.query(`UPDATE refunds SET status = 'PENDING', attempts = 0, last_error = NULL WHERE id = $1`, [cmd.refundId]);
    } else {
      await m.query(
        `INSERT INTO refunds (id, saga_id, return_id, tenant_id, purpose, external_order_id, amount_minor, currency, shop_currency, request)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [cmd.refundId, cmd.sagaId, env.returnId, env.tenantId, cmd.purpose, cmd.externalOrderId, cmd.amountMinor, cmd.currency, cmd.shopCurrency, JSON.stringify(cmd)],
      );
    }
    await TaskQueue.schedule(m, REFUND_QUEUE, cmd.refundId, this.clock.now(), { refundId: cmd.refundId, correlationId: env.correlationId });
    this.tasks.nudge();
  }

  private async attempt(task: TaskRow): Promise<TaskOutcome> {
    const { refundId, correlationId } = task.payload as { refundId: string; correlationId: string };
    const [r]: RefundRow[] = await this.ds.query(
      `SELECT f.*, t.store_url, t.store_access_token FROM refunds f JOIN tenants t ON t.id = f.tenant_id WHERE f.id = $1`,
      [refundId],
    );
    if (!r || r.status !== 'PENDING') return { kind: 'done' };
    const attempts = r.attempts + 1;
    const meta = { returnId: r.return_id, tenantId: r.tenant_id, correlationId };
    const store = r.store_url && r.store_access_token
      ? { url: r.store_url, accessToken: this.secrets.open(r.store_access_token, secretContext.storeToken(r.tenant_id)) }
      : undefined;
    // Store credit goes to the customer's account in the store (or a gift card); everything else back to the payment method.
    const result: StoreCreditResult = !store
      ? { kind: 'rejected', reason: 'tenant has no store connection' }
      : r.purpose === 'STORE_CREDIT'
        ? await this.store.storeCredit(store, {
            idempotencyKey: storeKeyFor(r), externalOrderId: r.external_order_id, currency: r.currency, shopCurrency: r.shop_currency.trim(), amountMinor: Number(r.amount_minor), note: r.request.note,
          })
        : await this.store.refund(store, {
            idempotencyKey: storeKeyFor(r), externalOrderId: r.external_order_id, currency: r.currency, amountMinor: Number(r.amount_minor),
            lines: r.request.lines, shippingMinor: r.request.shippingMinor, note: r.request.note,
          });
    this.metrics.refunds.inc({ outcome: result.kind });
    const log = { returnId: r.return_id, refundId: r.id, attempt: attempts, outcome: result.kind, correlationId };
    const giveUp = result.kind === 'rejected' || (result.kind === 'unavailable' && attempts >= MAX_REFUND_ATTEMPTS);
    await this.ds.transaction(async (m) => {
      if (result.kind === 'succeeded') {
        const giftCardCode = result.giftCardCode ?? null;
        await m.query(`UPDATE refunds SET status = 'SUCCEEDED', attempts = $2, provider_refund_id = $3, completed_at = $4, gift_card_code = $5 WHERE id = $1`, [r.id, attempts, result.providerRefundId, this.clock.now(), giftCardCode]);
        await this.messaging.outbox.emit<RefundIssued>(m, 'RefundIssued', meta, {
          sagaId: r.saga_id, refundId: r.id, purpose: r.purpose, amountMinor: Number(r.amount_minor), currency: r.currency, providerRefundId: result.providerRefundId,
          ...(giftCardCode ? { giftCardCode } : {}),
        });
      } else if (giveUp) {
        // A definite refusal created nothing in the store: a later retry gets a fresh key, so it is not answered with the stored refusal.
        await m.query(`UPDATE refunds SET status = 'FAILED', attempts = $2, last_error = $3, key_generation = key_generation + $4 WHERE id = $1`, [r.id, attempts, result.reason, result.kind === 'rejected' ? 1 : 0]);
        await this.messaging.outbox.emit<RefundFailed>(m, 'RefundFailed', meta, { sagaId: r.saga_id, refundId: r.id, purpose: r.purpose, reason: result.reason, permanent: result.kind === 'rejected' });
      } else {
        await m.query(`UPDATE refunds SET attempts = $2, last_error = $3 WHERE id = $1`, [r.id, attempts, result.reason]);
      }
    });
    this.messaging.nudge();
    if (result.kind === 'succeeded' || giveUp) {
      this.log.info({ ...log, reason: result.kind === 'succeeded' ? undefined : result.reason }, result.kind === 'succeeded' ? 'refund issued' : 'refund failed');
      return { kind: 'done' };
    }
    const delay = Math.min(1_000 * 2 ** (attempts - 1), 3_600_000);
    this.log.warn({ ...log, reason: result.reason, retryInMs: delay }, 'refund attempt failed; retrying with the same idempotency key');
    return { kind: 'retry', at: new Date(this.clock.now().getTime() + delay), error: result.reason };
  }
}

@Module({ providers: [RefundIssuer, { provide: STORE_REFUNDS, useClass: ShopifyRefunds }] })
export class RefundsModule {}
