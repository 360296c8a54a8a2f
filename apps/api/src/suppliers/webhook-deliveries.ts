import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { EnableSupplierEndpoint, IsTimestamp, RedeliverFailedWebhooks, RedeliverWebhook, toNumber } from '@app/contracts';
import { DomainError, ErrorCode, Messaging, notFound } from '@app/platform';
import { badCursor, isPgTimestamp } from '../ops/cursor';
import { EndpointAlerts } from '../ops/endpoint-alerts';

export const DeliveryStatuses = ['PENDING', 'DELIVERED', 'FAILED'] as const;

export class DeliveriesQuery {
  @ApiPropertyOptional({ enum: DeliveryStatuses })
  @IsOptional() @IsIn(DeliveryStatuses) status?: (typeof DeliveryStatuses)[number];

  @ApiPropertyOptional({ format: 'date-time', description: 'created at or after' })
  @IsOptional() @IsTimestamp() since?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100) limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Length(1, 500) cursor?: string;
}

export class RedeliverFailedDto {
  @ApiProperty({ format: 'date-time', description: 'redeliver every delivery that failed at or after this time' })
  @IsTimestamp() since!: string;
}

export interface Actor {
  tenantId: string;
  actor: string;
}

const decodeCursor = (c: string) => {
  const [at, id, ...rest] = Buffer.from(c, 'base64url').toString().split('|');
  if (rest.length || !isPgTimestamp(at) || !/^msg_[0-9a-f]{32}$/.test(id ?? '')) throw badCursor();
  return [at, id];
};

/**
 * What ops see of a supplier's webhooks (read from the suppliers service's
 * tables, as ADR 004 allows for queries) and what they can ask of it: every
 * action goes to the suppliers service as a command on `supplier.commands`.
 */
@Injectable()
export class SupplierWebhooks {
  constructor(private readonly ds: DataSource, private readonly messaging: Messaging, private readonly alerts: EndpointAlerts) {}

  async endpoint(tenantId: string, supplierId: string) {
    const s = await this.supplier(tenantId, supplierId);
    const [[e], [counts], events] = await Promise.all([
      this.ds.query(`SELECT * FROM webhook_endpoints WHERE supplier_id = $1`, [supplierId]),
      this.ds.query(
        `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
                count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM webhook_deliveries WHERE supplier_id = $1`, [supplierId]),
      this.ds.query(`SELECT kind, reason, actor, at FROM webhook_endpoint_events WHERE supplier_id = $1 ORDER BY id DESC LIMIT 20`, [supplierId]),
    ]);
    return {
      supplierId,
      webhookUrl: s.webhook_url,
      status: e?.status ?? 'ACTIVE',
      failingSince: e?.failing_since ?? null,
      lastSuccessAt: e?.last_success_at ?? null,
      lastFailureAt: e?.last_failure_at ?? null,
      disabledAt: e?.disabled_at ?? null,
      disabledReason: e?.disabled_reason ?? null,
      deliveries: counts,
      events,
    };
  }

  async list(tenantId: string, supplierId: string, q: DeliveriesQuery) {
    await this.supplier(tenantId, supplierId);
    const where = ['d.supplier_id = $1'];
    const params: unknown[] = [supplierId];
    if (q.status) where.push(`d.status = $${params.push(q.status)}`);
    if (q.since) where.push(`d.created_at >= $${params.push(q.since)}`);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      where.push(`(d.created_at, d.id) < ($${params.push(at)}::timestamptz, $${params.push(id)})`);
    }
    const rows = await this.ds.query(
      `SELECT d.id, d.request_id, d.status, d.attempts, d.created_at, d.created_at::text AS created_exact, d.delivered_at, d.failed_at,
              d.next_attempt_at, d.last_error, d.body::jsonb ->> 'type' AS type
       FROM webhook_deliveries d WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ created_exact: _, ...r }: Record<string, unknown>) => deliveryView(r)),
      nextCursor: rows.length > q.limit ? Buffer.from(`${last.created_exact}|${last.id}`).toString('base64url') : null,
    };
  }

  /** One delivery with every attempt: time, status, latency, error, response excerpt. */
  async detail(tenantId: string, supplierId: string, deliveryId: string) {
    const d = await this.delivery(tenantId, supplierId, deliveryId);
    const attempts = await this.ds.query(
      `SELECT at, status_code, latency_ms, error, response_excerpt, url FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, [deliveryId]);
    return {
      ...deliveryView(d),
      payload: JSON.parse(d.body),
      attempts: attempts.map((a: Record<string, unknown>) => ({
        at: a.at, statusCode: a.status_code, latencyMs: a.latency_ms, error: a.error, responseExcerpt: a.response_excerpt, url: a.url,
      })),
    };
  }

  async redeliver(who: Actor, supplierId: string, deliveryId: string) {
    const d = await this.delivery(who.tenantId, supplierId, deliveryId);
    if (d.status === 'PENDING') throw new DomainError(ErrorCode.Conflict, 'this delivery is still being attempted (or waits for its endpoint to be re-enabled)', { deliveryStatus: d.status });
    await this.emit<RedeliverWebhook>('RedeliverWebhook', who.tenantId, d.return_id, { supplierId, deliveryId, actor: who.actor });
    return { accepted: true, deliveryId };
  }

  async redeliverFailed(who: Actor, supplierId: string, since: string) {
    await this.supplier(who.tenantId, supplierId);
    const [{ n }] = await this.ds.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE supplier_id = $1 AND status = 'FAILED' AND failed_at >= $2`, [supplierId, since]);
    await this.emit<RedeliverFailedWebhooks>('RedeliverFailedWebhooks', who.tenantId, supplierId, { supplierId, failedSince: new Date(since).toISOString(), actor: who.actor });
    return { accepted: true, failedSince: new Date(since).toISOString(), matching: n };
  }

  async enable(who: Actor, supplierId: string) {
    await this.supplier(who.tenantId, supplierId);
    await this.ds.transaction(async (m) => {
      await this.messaging.outbox.emit<EnableSupplierEndpoint>(m, 'EnableSupplierEndpoint', { returnId: supplierId, tenantId: who.tenantId }, { supplierId, actor: who.actor });
      // The cases held up by the endpoint resume with it: their alerts clear.
      await this.alerts.clearFor(m, who.tenantId, supplierId);
    });
    this.messaging.nudge();
    return { accepted: true };
  }

  private async emit<P extends object>(type: string, tenantId: string, key: string, payload: P): Promise<void> {
    await this.ds.transaction((m) => this.messaging.outbox.emit<P>(m, type, { returnId: key, tenantId }, payload));
    this.messaging.nudge();
  }

  private async supplier(tenantId: string, supplierId: string) {
    const [s] = await this.ds.query(`SELECT id, webhook_url FROM suppliers WHERE id = $1 AND tenant_id = $2`, [supplierId, tenantId]);
    if (!s) throw notFound('supplier');
    return s;
  }

  private async delivery(tenantId: string, supplierId: string, deliveryId: string) {
    const [d] = await this.ds.query(
      `SELECT d.*, r.return_id FROM webhook_deliveries d JOIN supplier_requests r ON r.id = d.request_id
       WHERE d.id = $1 AND d.supplier_id = $2 AND d.tenant_id = $3`, [deliveryId, supplierId, tenantId]);
    if (!d) throw notFound('delivery');
    return d;
  }
}

function deliveryView(d: Record<string, unknown>) {
  return {
    id: d.id,
    requestId: d.request_id,
    type: d.type ?? (typeof d.body === 'string' ? JSON.parse(d.body).type : undefined),
    status: d.status,
    attemptCount: d.attempts,
    createdAt: d.created_at,
    deliveredAt: d.delivered_at,
    failedAt: d.failed_at,
    nextAttemptAt: d.next_attempt_at,
    lastError: d.last_error,
  };
}
