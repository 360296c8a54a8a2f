import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { SupplierEndpointDisabled, SupplierRequestDelivered, SupplierRequestFailed } from '@app/contracts';
import { AllowList, Clock, HOST_RESOLVER, HostResolver, LOGGER, Messaging, Metrics, PLATFORM_CONFIG, SecretBox, secretContext, systemResolver, TaskOutcome, TaskQueue, TaskRow } from '@app/platform';
import { SuppliersConfig } from '../config';
import { afterAttempt, DAY_MS, EndpointHealth } from '../endpoints/endpoint-health';
import { nextAttemptDelay } from './retry-schedule';
import { MAX_PAYLOAD_BYTES, SendResult, sendWebhook } from './webhook-sender';

export const WEBHOOK_QUEUE = 'webhook-delivery';
/** A Retry-After longer than this is capped: a supplier can slow us down, not park a request for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** How stale a healthy endpoint's last_success_at may get before a success writes it again. */
const HEALTHY_REFRESH_MS = 1_000;

interface DeliveryRow {
  id: string;
  request_id: string;
  supplier_id: string;
  tenant_id: string;
  body: string;
  status: string;
  attempts: number;
  cycle_attempts: number;
  saga_id: string;
  return_id: string;
  webhook_url: string;
  signing_secret: string;
  endpoint_status: string | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  supplier_name: string;
  failing_since: Date | null;
  last_success_at: Date | null;
  /** Retired signing secrets still in their overlap period, newest first. */
  retired: string[];
}

/** Schedules a delivery's next attempt on the durable task queue (inside the caller's transaction). */
export async function scheduleDelivery(m: EntityManager, deliveryId: string, at: Date, correlationId?: string): Promise<void> {
  await m.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = $1`, [deliveryId, at]);
  await TaskQueue.schedule(m, WEBHOOK_QUEUE, deliveryId, at, { deliveryId, correlationId });
}

/**
 * Makes sure the supplier's endpoint has a health row (ACTIVE until proven
 * otherwise) and locks it for the caller's transaction, in one statement.
 */
export async function lockEndpoint(m: EntityManager, supplierId: string, tenantId: string): Promise<EndpointHealth> {
  const [row] = await m.query(
    `INSERT INTO webhook_endpoints (supplier_id, tenant_id) VALUES ($1, $2) ON CONFLICT (supplier_id) DO UPDATE SET supplier_id = EXCLUDED.supplier_id
     RETURNING status, failing_since`,
    [supplierId, tenantId],
  );
  return { status: row.status, failingSince: row.failing_since ? new Date(row.failing_since) : null };
}

export function payloadTooLarge(body: string): string | undefined {
  const bytes = Buffer.byteLength(body);
  return bytes > MAX_PAYLOAD_BYTES ? `payload of ${bytes} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit` : undefined;
}

/**
 * One delivery attempt, run by the task queue: sign with every live secret,
 * send through the SSRF-guarded client, log the attempt, update the endpoint's
 * health, and either finish (delivered / gave up / endpoint disabled) or come
 * back on the retry schedule. A disabled endpoint's deliveries wait, untried,
 * until ops re-enable it.
 */
@Injectable()
export class DeliverWebhook {
  private readonly allow: AllowList;

  constructor(
    private readonly ds: DataSource,
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(PLATFORM_CONFIG) private readonly config: SuppliersConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly secrets: SecretBox,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolver: HostResolver = systemResolver,
  ) {
    this.allow = AllowList.parse(config.WEBHOOK_ALLOW_HOSTS);
  }

  async execute(task: TaskRow): Promise<TaskOutcome> {
    const { deliveryId, correlationId } = task.payload as { deliveryId: string; correlationId?: string };
    const [d]: DeliveryRow[] = await this.ds.query(
      `SELECT d.id, d.request_id, d.supplier_id, d.tenant_id, d.body, d.status, d.attempts, d.cycle_attempts,
              r.saga_id, r.return_id, s.webhook_url, s.signing_secret, s.name AS supplier_name,
              e.status AS endpoint_status, e.disabled_at, e.disabled_reason, e.failing_since, e.last_success_at,
              ARRAY(SELECT x.secret FROM supplier_retired_secrets x WHERE x.supplier_id = d.supplier_id AND x.expires_at > $2 ORDER BY x.retired_at DESC) AS retired
       FROM webhook_deliveries d
       JOIN supplier_requests r ON r.id = d.request_id
       JOIN suppliers s ON s.id = d.supplier_id
       LEFT JOIN webhook_endpoints e ON e.supplier_id = d.supplier_id
       WHERE d.id = $1`,
      [deliveryId, this.clock.now()],
    );
    if (!d || d.status !== 'PENDING') return { kind: 'done' };
    const base = { returnId: d.return_id, deliveryId: d.id, requestId: d.request_id, supplierId: d.supplier_id, correlationId };
    if (d.endpoint_status === 'DISABLED') {
      await this.ds.transaction(async (m) => {
        await m.query(`UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE id = $1`, [d.id]);
        // This case waits on the disabled endpoint too: ops hear of it (one alert per case and disabling).
        await this.endpointDisabled(m, d, d.disabled_reason ?? 'disabled', d.disabled_at ?? this.clock.now(), correlationId);
      });
      this.messaging.nudge();
      this.log.info(base, 'webhook paused: endpoint disabled');
      return { kind: 'done' };
    }

    const now = this.clock.now();
    const secrets = [d.signing_secret, ...d.retired].map((x) => this.secrets.open(x, secretContext.signingSecret(d.supplier_id)));
    // The URL is read at send time, so a corrected endpoint gets the retries.
    const result = await sendWebhook({ url: d.webhook_url, id: d.id, body: d.body, secrets, at: now }, {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allow: this.allow,
      resolve: this.resolver,
    });
    this.metrics.webhookAttempts.inc({ result: result.ok ? 'delivered' : result.refused ? 'refused' : result.status ? `http_${result.status}` : 'error' });

    const attempts = d.attempts + 1;
    const cycleAttempts = d.cycle_attempts + 1;
    const failure = result.ok ? undefined : result.error ?? `HTTP ${result.status}`;
    const meta = { returnId: d.return_id, tenantId: d.tenant_id, correlationId: correlationId ?? d.return_id };
    const log = { ...base, attempt: attempts, status: result.status, latencyMs: result.latencyMs, error: result.error };

    const outcome = await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms, error, response_excerpt, url) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.id, now, result.status ?? null, result.latencyMs, result.error ?? null, result.responseExcerpt ?? null, d.webhook_url],
      );
      const health = await this.recordHealth(m, d, result, now);
      if (result.ok) {
        await m.query(`UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = $2, cycle_attempts = $3, delivered_at = $4, next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
          [d.id, attempts, cycleAttempts, now]);
        await this.messaging.outbox.emit<SupplierRequestDelivered>(m, 'SupplierRequestDelivered', meta, { sagaId: d.saga_id, requestId: d.request_id, attempts });
        return { kind: 'delivered' as const };
      }
      const delay = health.disabledBecause ? undefined : nextAttemptDelay(cycleAttempts);
      if (delay === undefined) {
        const reason = health.disabledBecause
          ? `endpoint disabled (${health.disabledBecause}) after ${attempts} attempts: ${failure}`
          : `gave up after ${attempts} attempts: ${failure}`;
        await m.query(`UPDATE webhook_deliveries SET status = 'FAILED', attempts = $2, cycle_attempts = $3, failed_at = $4, next_attempt_at = NULL, last_error = $5 WHERE id = $1`,
          [d.id, attempts, cycleAttempts, now, reason]);
        await this.messaging.outbox.emit<SupplierRequestFailed>(m, 'SupplierRequestFailed', meta, { sagaId: d.saga_id, requestId: d.request_id, reason });
        if (health.disabledBecause) await this.endpointDisabled(m, d, health.disabledBecause, now, correlationId);
        return { kind: 'failed' as const, reason, disabledBecause: health.disabledBecause };
      }
      const wait = Math.max(delay, Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
      const at = new Date(now.getTime() + wait);
      await m.query(`UPDATE webhook_deliveries SET attempts = $2, cycle_attempts = $3, next_attempt_at = $4, last_error = $5 WHERE id = $1`,
        [d.id, attempts, cycleAttempts, at, failure]);
      return { kind: 'retry' as const, at };
    });
    this.messaging.nudge();

    switch (outcome.kind) {
      case 'delivered':
        this.log.info({ ...log, result: 'delivered' }, 'webhook delivered');
        return { kind: 'done' };
      case 'failed':
        if (outcome.disabledBecause) {
          this.log.error({ ...log, result: 'failed', alert: 'SUPPLIER_ENDPOINT_DISABLED', reason: outcome.disabledBecause }, 'supplier webhook endpoint disabled');
        } else {
          this.log.warn({ ...log, result: 'failed', reason: outcome.reason }, 'webhook delivery gave up');
        }
        return { kind: 'done' };
      case 'retry':
        this.log.warn({ ...log, result: 'retry', nextAttemptAt: outcome.at.toISOString() }, 'webhook attempt failed');
        return { kind: 'retry', at: outcome.at, error: failure ?? 'failed' };
    }
  }

  /** The ops alert for a case whose request cannot go out: its supplier's endpoint is disabled (the api records and streams it). */
  private async endpointDisabled(m: EntityManager, d: DeliveryRow, reason: string, disabledAt: Date, correlationId?: string): Promise<void> {
    await this.messaging.outbox.emit<SupplierEndpointDisabled>(m, 'SupplierEndpointDisabled', { returnId: d.return_id, tenantId: d.tenant_id, correlationId: correlationId ?? d.return_id }, {
      supplierId: d.supplier_id, supplierName: d.supplier_name, sagaId: d.saga_id, requestId: d.request_id, deliveryId: d.id, reason, disabledAt: new Date(disabledAt).toISOString(),
    });
  }

  /** Updates the endpoint's health under a row lock; disables it (with an ops-visible event) when the rules say so. */
  private async recordHealth(m: EntityManager, d: DeliveryRow, result: SendResult, now: Date) {
    // A success on a healthy endpoint that succeeded a moment ago changes nothing worth a locked write
    // (every delivery to a busy supplier would queue on its one row).
    const outcome = result.ok ? ({ kind: 'delivered' } as const) : ({ kind: 'failed', status: result.status } as const);
    const disableAfterMs = this.config.WEBHOOK_DISABLE_AFTER_DAYS * DAY_MS;
    if (result.ok && d.endpoint_status === 'ACTIVE' && !d.failing_since && d.last_success_at && now.getTime() - new Date(d.last_success_at).getTime() < HEALTHY_REFRESH_MS) {
      return afterAttempt({ status: 'ACTIVE', failingSince: null }, outcome, now, disableAfterMs);
    }
    const change = afterAttempt(await lockEndpoint(m, d.supplier_id, d.tenant_id), outcome, now, disableAfterMs);
    await m.query(
      `UPDATE webhook_endpoints SET status = $2, failing_since = $3, updated_at = now(),
         last_success_at = CASE WHEN $4 THEN $5 ELSE last_success_at END,
         last_failure_at = CASE WHEN $4 THEN last_failure_at ELSE $5 END,
         disabled_at = CASE WHEN $6::text IS NOT NULL THEN $5 ELSE disabled_at END,
         disabled_reason = COALESCE($6::text, disabled_reason)
       WHERE supplier_id = $1`,
      [d.supplier_id, change.next.status, change.next.failingSince, result.ok, now, change.disabledBecause ?? null],
    );
    if (change.disabledBecause) {
      await m.query(`INSERT INTO webhook_endpoint_events (supplier_id, tenant_id, kind, reason, actor, at) VALUES ($1, $2, 'DISABLED', $3, 'system', $4)`,
        [d.supplier_id, d.tenant_id, change.disabledBecause, now]);
    }
    return change;
  }
}
