import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Envelope, SupplierEndpointDisabled, Topics } from '@app/contracts';
import { Clock, LOGGER, Messaging } from '@app/platform';
import { LiveFeed } from './live-feed';
import { OpsMetrics } from './ops-metrics';
import { ENDPOINT_DISABLED_ALERT, endpointAlertReason } from './alert-kinds';


/**
 * Records the suppliers service's SupplierEndpointDisabled events as ops
 * alerts on the cases they hold up (one per case and disabling), in a durable
 * consumer group shared by the api instances. The live console hears of them
 * through each instance's LiveFeed, which reads the same topic.
 */
@Injectable()
export class EndpointAlerts implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly ds: DataSource,
    private readonly feed: LiveFeed,
    private readonly metrics: OpsMetrics,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      group: 'api-alerts',
      topics: [Topics.SupplierEvents],
      handle: async (env, { manager }) => {
        if (env.type === 'SupplierEndpointDisabled') await this.record(manager, env as Envelope<SupplierEndpointDisabled>);
      },
    });
  }

  private async record(m: EntityManager, env: Envelope<SupplierEndpointDisabled>): Promise<void> {
    const p = env.payload;
    const rows = await m.query(
      `INSERT INTO ops_alerts (tenant_id, return_id, saga_id, supplier_id, kind, state, state_since, reason, raised_at)
       VALUES ($1, $2, $3, $4, $5, 'DISABLED', $6, $7, $8)
       ON CONFLICT (return_id, kind, state, state_since) DO NOTHING RETURNING id`,
      [env.tenantId, env.returnId, p.sagaId, p.supplierId, ENDPOINT_DISABLED_ALERT, p.disabledAt, endpointAlertReason(p), this.clock.now()],
    );
    if (!rows.length) return;
    this.metrics.alerts.inc({ kind: ENDPOINT_DISABLED_ALERT });
    this.log.warn({ alert: ENDPOINT_DISABLED_ALERT, tenantId: env.tenantId, returnId: env.returnId, sagaId: p.sagaId, supplierId: p.supplierId, reason: p.reason }, 'ops alert: supplier endpoint disabled');
  }

  /** Ops re-enabled the endpoint: its alerts clear (in the caller's transaction); this instance's streams hear it at once. */
  async clearFor(m: EntityManager, tenantId: string, supplierId: string): Promise<void> {
    const now = this.clock.now();
    // An UPDATE answers [rows, count].
    const [cleared]: [{ return_id: string }[], number] = await m.query(
      `UPDATE ops_alerts SET cleared_at = $3 WHERE tenant_id = $1 AND supplier_id = $2 AND kind = $4 AND cleared_at IS NULL RETURNING return_id`,
      [tenantId, supplierId, now, ENDPOINT_DISABLED_ALERT],
    );
    for (const a of cleared) this.feed.publish({ tenantId, type: 'alert', data: { alert: ENDPOINT_DISABLED_ALERT, returnId: a.return_id, supplierId, cleared: true, at: now.toISOString() } });
  }
}
