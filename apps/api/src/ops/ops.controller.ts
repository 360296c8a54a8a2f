import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound, ParseUuid } from '@app/platform';
import { CaseDetail } from './case-detail';
import { CaseListQuery, PageQuery } from './case-filter.dto';
import { CaseQueries } from './case-queries';
import { LiveFeed } from './live-feed';
import { OpsActions } from './ops-actions';
import { ActionReasonDto, BatchPreviewDto, BatchRunDto, NoteDto, RedeliverDto, ResolveDto, SupplierDecisionDto } from './ops-actions.dto';
import { Caller, OpsCaller } from './ops-auth';
import { OpsBatch } from './ops-batch';
import { OpsFigures } from './ops-figures';

const IdempotencyKey = () =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The same key returns the first outcome (replayed: true) and does nothing again. Without one, the same action on the same case version is done once.' });
// At most 255 characters: longer ones are refused (400) before they get here.
const key = (k: string | undefined) => k?.trim() || undefined;

/**
 * The ops API: tenant-scoped (a key sees its own tenant's cases; any other
 * case is 404). Tenant and ops keys may read; actions need an ops key (403).
 * Adapters only: each route hands its DTO to a use case.
 */
@ApiTags('ops')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Ops-Actor', required: false, description: 'Who is acting, for the audit trail (the key prefix is always recorded too)' })
@Controller('ops')
export class OpsController {
  constructor(
    private readonly cases: CaseQueries,
    private readonly detail: CaseDetail,
    private readonly actions: OpsActions,
    private readonly batch: OpsBatch,
    private readonly figures: OpsFigures,
    private readonly feed: LiveFeed,
  ) {}

  @Get('cases')
  @ApiOperation({ summary: 'List cases, newest first, by filter; cursor-paginated' })
  list(@Caller() c: OpsCaller, @Query() q: CaseListQuery) {
    if (q.tenantId && q.tenantId !== c.tenantId) throw notFound('tenant'); // keys are tenant-scoped
    return this.cases.list(c.tenantId, q);
  }

  @Get('cases/:returnId')
  @ApiOperation({ summary: 'A case: current step and deadlines, claims, webhook deliveries, ledger, available actions, alerts, first page of the timeline' })
  get(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string) {
    return this.detail.get(c.tenantId, id);
  }

  @Get('cases/:returnId/timeline')
  @ApiOperation({ summary: 'The case timeline, oldest first, paginated' })
  async timeline(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Query() q: PageQuery) {
    await this.cases.one(c.tenantId, id);
    return this.detail.timeline(c.tenantId, id, q);
  }

  @Post('cases/:returnId/retry')
  @HttpCode(202)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Retry the failed step (e.g. a refund that failed, a supplier that was unreachable)' })
  retry(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: ActionReasonDto, @Headers('idempotency-key') k?: string) {
    return this.actions.request(c, id, { action: 'RETRY', reason: dto.reason, idempotencyKey: key(k) });
  }

  @Post('cases/:returnId/cancel')
  @HttpCode(202)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Cancel the case: its deadlines stop; a refund already paid stays paid' })
  cancel(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: ActionReasonDto, @Headers('idempotency-key') k?: string) {
    return this.actions.request(c, id, { action: 'CANCEL', reason: dto.reason, idempotencyKey: key(k) });
  }

  @Post('cases/:returnId/resolve')
  @HttpCode(202)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Close the case as resolved by hand' })
  resolve(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: ResolveDto, @Headers('idempotency-key') k?: string) {
    return this.actions.request(c, id, { action: 'RESOLVE', reason: dto.reason, outcome: dto.outcome, idempotencyKey: key(k) });
  }

  @Post('cases/:returnId/supplier-decision')
  @HttpCode(202)
  @IdempotencyKey()
  @ApiOperation({ summary: "Record a supplier's decision by hand (same rules as the supplier callback; via OPS)" })
  decide(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: SupplierDecisionDto, @Headers('idempotency-key') k?: string) {
    const { note, ...decision } = dto;
    return this.actions.request(c, id, { action: 'SUPPLIER_DECISION', reason: note, decision, idempotencyKey: key(k) });
  }

  @Post('cases/:returnId/redeliver')
  @HttpCode(202)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Send a webhook delivery to the supplier again (same webhook-id)' })
  redeliver(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: RedeliverDto, @Headers('idempotency-key') k?: string) {
    return this.actions.request(c, id, { action: 'REDELIVER', reason: dto.reason, deliveryId: dto.deliveryId, idempotencyKey: key(k) });
  }

  @Post('cases/:returnId/notes')
  @IdempotencyKey()
  @ApiOperation({ summary: 'Add a note to the case timeline' })
  note(@Caller() c: OpsCaller, @Param('returnId', ParseUuid) id: string, @Body() dto: NoteDto, @Headers('idempotency-key') k?: string) {
    return this.actions.request(c, id, { action: 'NOTE', reason: dto.text, idempotencyKey: key(k) });
  }

  @Post('batch/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'How many cases a batch action would touch (matched by the filter, and those it applies to)' })
  preview(@Caller() c: OpsCaller, @Body() dto: BatchPreviewDto) {
    return this.batch.preview(c, dto);
  }

  @Post('batch')
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: "Run a saga action on every case of the filter; expectedCount must equal the preview's applicable count" })
  runBatch(@Caller() c: OpsCaller, @Body() dto: BatchRunDto, @Headers('idempotency-key') k?: string) {
    return this.batch.run(c, dto, key(k));
  }

  @Get('figures')
  @ApiOperation({ summary: 'Headline figures: open cases by state, time to resolution p50/p90, refunds, supplier recovery rate, returns by reason and supplier' })
  headline(@Caller() c: OpsCaller) {
    return this.figures.headline(c.tenantId);
  }

  @Get('suppliers/health')
  @ApiOperation({ summary: 'Supplier webhook endpoints: status (disabled, failing), deliveries, recent attempts' })
  health(@Caller() c: OpsCaller) {
    return this.figures.supplierHealth(c.tenantId);
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Open alerts (stuck cases)' })
  alerts(@Caller() c: OpsCaller) {
    return this.cases.openAlerts(c.tenantId);
  }

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-sent events: `case` (a saga changed state) and `alert` (a case stuck, or cleared)' })
  stream(@Caller() c: OpsCaller, @Res() res: Response) {
    this.feed.open(c.tenantId, res, c.keyName);
  }
}
