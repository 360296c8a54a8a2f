import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { EnableSupplierEndpoint, Envelope, RedeliverFailedWebhooks, RedeliverWebhook } from '@app/contracts';
import { Clock, LOGGER, TaskScheduler } from '@app/platform';
import { lockEndpoint, scheduleDelivery } from '../delivery/deliver-webhook';

/**
 * Ops actions on a supplier's webhooks, applied in the consumer's transaction.
 * A redelivery keeps the message id (the supplier dedupes on it), signs with a
 * fresh timestamp and starts a new retry schedule.
 */
@Injectable()
export class WebhookOps {
  constructor(private readonly tasks: TaskScheduler, private readonly clock: Clock, @Inject(LOGGER) private readonly log: Logger) {}

  async redeliverOne(m: EntityManager, env: Envelope<RedeliverWebhook>): Promise<void> {
    // A PENDING delivery is still in its schedule (maybe mid-attempt): a second copy of its task would race it.
    const n = await this.redeliver(m, env, `id = $3 AND status <> 'PENDING'`, [env.payload.deliveryId]);
    this.log.info({ supplierId: env.payload.supplierId, deliveryId: env.payload.deliveryId, actor: env.payload.actor, redelivered: n }, 'webhook redelivery requested');
  }

  async redeliverFailed(m: EntityManager, env: Envelope<RedeliverFailedWebhooks>): Promise<void> {
    const n = await this.redeliver(m, env, `status = 'FAILED' AND failed_at >= $3`, [env.payload.failedSince]);
    this.log.info({ supplierId: env.payload.supplierId, failedSince: env.payload.failedSince, actor: env.payload.actor, redelivered: n }, 'failed webhooks redelivery requested');
  }

  /** Re-enables the endpoint and resumes every delivery that waited while it was disabled. */
  async enable(m: EntityManager, env: Envelope<EnableSupplierEndpoint>): Promise<void> {
    const { supplierId, actor } = env.payload;
    const now = this.clock.now();
    await lockEndpoint(m, supplierId, env.tenantId); // serialises with delivery attempts recording health
    const rows = await m.query(
      `UPDATE webhook_endpoints SET status = 'ACTIVE', failing_since = NULL, disabled_at = NULL, disabled_reason = NULL, updated_at = now()
       WHERE supplier_id = $1 AND tenant_id = $2 AND status = 'DISABLED' RETURNING supplier_id`,
      [supplierId, env.tenantId],
    );
    if (rows[0].length) {
      await m.query(`INSERT INTO webhook_endpoint_events (supplier_id, tenant_id, kind, reason, actor, at) VALUES ($1, $2, 'ENABLED', 're-enabled by ops', $3, $4)`,
        [supplierId, env.tenantId, actor, now]);
    }
    const pending: { id: string }[] = await m.query(
      `SELECT id FROM webhook_deliveries WHERE supplier_id = $1 AND tenant_id = $2 AND status = 'PENDING' ORDER BY created_at`, [supplierId, env.tenantId]);
    for (const p of pending) await scheduleDelivery(m, p.id, now, env.correlationId);
    this.tasks.nudge();
    this.log.warn({ supplierId, actor, resumed: pending.length, wasDisabled: rows[0].length > 0 }, 'supplier webhook endpoint enabled');
  }

  private async redeliver(m: EntityManager, env: Envelope<{ supplierId: string }>, where: string, params: unknown[]): Promise<number> {
    const now = this.clock.now();
    // UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE webhook_deliveries SET status = 'PENDING', cycle_attempts = 0, failed_at = NULL, redelivered_at = $4
       WHERE supplier_id = $1 AND tenant_id = $2 AND ${where} RETURNING id`,
      [env.payload.supplierId, env.tenantId, ...params, now],
    );
    for (const r of rows) await scheduleDelivery(m, r.id, now, env.correlationId);
    this.tasks.nudge();
    return rows.length;
  }
}
