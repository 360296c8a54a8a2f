import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Envelope, RemindSupplier, RequestSupplierAction, SupplierRequestFailed, WithdrawSupplierRequest } from '@app/contracts';
import { Clock, Messaging, PLATFORM_CONFIG, TaskQueue, TaskScheduler } from '@app/platform';
import { SuppliersConfig } from '../config';
import { payloadTooLarge, WEBHOOK_QUEUE } from '../delivery/deliver-webhook';
import { reminderPayload, requestPayload, withdrawnPayload } from '../delivery/webhook-payloads';

/** The Standard Webhooks message id of a delivery: stable across retries and redeliveries. */
export const messageId = (uuid: string) => `msg_${uuid.replace(/-/g, '')}`;

/**
 * Turns a supplier command into a durable webhook delivery, in the consumer's
 * transaction: a redelivered command finds the request (or the message id)
 * already there and adds nothing.
 */
@Injectable()
export class AcceptSupplierCommand {
  constructor(
    private readonly tasks: TaskScheduler,
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: SuppliersConfig,
  ) {}

  callbackUrl(requestId: string): string {
    return `${this.config.PUBLIC_API_URL.replace(/\/$/, '')}/supplier-api/requests/${requestId}/answer`;
  }

  async request(m: EntityManager, env: Envelope<RequestSupplierAction>): Promise<void> {
    const cmd = env.payload;
    const inserted = await m.query(
      `INSERT INTO supplier_requests (id, saga_id, return_id, tenant_id, supplier_id, kind, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [cmd.requestId, cmd.sagaId, env.returnId, env.tenantId, cmd.supplierId, cmd.kind, JSON.stringify(cmd)],
    );
    if (!inserted.length) return;
    const body = JSON.stringify(requestPayload(cmd, this.callbackUrl(cmd.requestId), this.clock.now()));
    await this.enqueue(m, env, messageId(cmd.requestId), cmd.requestId, cmd.supplierId, cmd.sagaId, body);
  }

  async remind(m: EntityManager, env: Envelope<RemindSupplier>): Promise<void> {
    const cmd = env.payload;
    const body = JSON.stringify(reminderPayload(cmd, this.callbackUrl(cmd.requestId), this.clock.now()));
    await this.enqueue(m, env, messageId(env.id), cmd.requestId, cmd.supplierId, cmd.sagaId, body);
  }

  /**
   * Compensation for a cancelled case: deliveries of the request not yet made
   * are dropped, and the supplier is told the request is withdrawn.
   */
  async withdraw(m: EntityManager, env: Envelope<WithdrawSupplierRequest>): Promise<void> {
    const cmd = env.payload;
    const [req] = await m.query(`SELECT id FROM supplier_requests WHERE id = $1 AND tenant_id = $2`, [cmd.requestId, env.tenantId]);
    if (!req) return; // never sent: nothing to withdraw
    const dropped = await m.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', failed_at = $3, last_error = 'withdrawn: case cancelled'
       WHERE request_id = $1 AND tenant_id = $2 AND status = 'PENDING' RETURNING id`,
      [cmd.requestId, env.tenantId, this.clock.now()],
    );
    for (const d of dropped[0] ?? []) await TaskQueue.cancel(m, WEBHOOK_QUEUE, d.id);
    const body = JSON.stringify(withdrawnPayload(cmd, this.clock.now()));
    await this.enqueue(m, env, messageId(env.id), cmd.requestId, cmd.supplierId, cmd.sagaId, body);
  }

  private async enqueue(m: EntityManager, env: Envelope<object>, id: string, requestId: string, supplierId: string, sagaId: string, body: string): Promise<void> {
    const tooLarge = payloadTooLarge(body);
    const now = this.clock.now();
    // One statement: the supplier's URL (scoped to the tenant), its endpoint health row made sure of, the delivery recorded.
    const [row] = await m.query(
      `WITH s AS (SELECT webhook_url FROM suppliers WHERE id = $3::uuid AND tenant_id = $4::uuid),
            e AS (INSERT INTO webhook_endpoints (supplier_id, tenant_id) SELECT $3::uuid, $4::uuid FROM s ON CONFLICT (supplier_id) DO NOTHING),
            d AS (INSERT INTO webhook_deliveries (id, request_id, supplier_id, tenant_id, url, body, status, failed_at, last_error, next_attempt_at)
                  SELECT $1::text, $2::uuid, $3::uuid, $4::uuid, s.webhook_url, $5::text, $6::text, $7::timestamptz, $8::text, $9::timestamptz FROM s ON CONFLICT (id) DO NOTHING RETURNING id)
       SELECT (SELECT count(*) FROM s) AS linked, (SELECT count(*) FROM d) AS created`,
      [id, requestId, supplierId, env.tenantId, body, tooLarge ? 'FAILED' : 'PENDING', tooLarge ? now : null, tooLarge ?? null, tooLarge ? null : now],
    );
    if (!Number(row.linked)) throw new Error(`supplier ${supplierId} not linked to tenant ${env.tenantId}`);
    const created = Number(row.created) ? [id] : [];
    if (!created.length) return;
    if (tooLarge) {
      // Never sent: the saga hears at once and escalates to ops.
      await this.messaging.outbox.emit<SupplierRequestFailed>(m, 'SupplierRequestFailed',
        { returnId: env.returnId, tenantId: env.tenantId, correlationId: env.correlationId, causationId: env.id }, { sagaId, requestId, reason: tooLarge });
      return;
    }
    await TaskQueue.schedule(m, WEBHOOK_QUEUE, id, now, { deliveryId: id, correlationId: env.correlationId });
    this.tasks.nudge();
  }
}
