import { Module } from '@nestjs/common';
import { RecordSupplierAnswer } from '../supplier-api/supplier-answers';
import { ConsoleController } from '../web/console.controller';
import { CaseDetail } from './case-detail';
import { CaseQueries } from './case-queries';
import { LiveFeed } from './live-feed';
import { OpsActions } from './ops-actions';
import { OpsBatch } from './ops-batch';
import { OpsFigures } from './ops-figures';
import { OpsMetrics } from './ops-metrics';
import { OpsController } from './ops.controller';
import { StuckDetector } from './stuck-detector';
import { EndpointAlerts } from './endpoint-alerts';

/** The ops console: its API, live feed, stuck-case detector and the web page. */
@Module({
  controllers: [OpsController, ConsoleController],
  providers: [CaseQueries, CaseDetail, OpsActions, OpsBatch, OpsFigures, OpsMetrics, LiveFeed, StuckDetector, EndpointAlerts, RecordSupplierAnswer],
  exports: [StuckDetector, LiveFeed, EndpointAlerts],
})
export class OpsModule {}
