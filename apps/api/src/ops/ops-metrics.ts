import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Metrics } from '@app/platform';

/** The ops console's own series, on the api's registry (served at /metrics). */
@Injectable()
export class OpsMetrics {
  readonly stuckCases: Gauge;
  readonly alerts: Counter<'kind'>;
  readonly actions: Counter<'action'>;
  readonly liveClients: Gauge;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.stuckCases = new Gauge({ name: 'ops_stuck_cases', help: 'Open cases past their step\'s expected time or with an overdue deadline (last scan)', registers });
    this.alerts = new Counter({ name: 'ops_alerts_total', help: 'Ops alerts raised (a case newly stuck)', labelNames: ['kind'], registers });
    this.actions = new Counter({ name: 'ops_actions_total', help: 'Ops actions accepted (replays not counted)', labelNames: ['action'], registers });
    this.liveClients = new Gauge({ name: 'ops_live_clients', help: 'Open console live streams (SSE)', registers });
  }
}
