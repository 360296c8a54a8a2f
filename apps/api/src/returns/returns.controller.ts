import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ParseUuid } from '@app/platform';
import type { Response } from 'express';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';
import { CaseView } from './case-view';
import { ReportReturn, ReportReturnDto } from './report-return';

@Controller('returns')
export class ReturnsController {
  constructor(private readonly report: ReportReturn, private readonly view: CaseView) {}

  /** 202: accepted; the saga runs asynchronously. Repeat with the same Idempotency-Key to get the same return. */
  @Post()
  @HttpCode(202)
  async create(@CurrentTenant() t: TenantPrincipal, @Body() dto: ReportReturnDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.report.execute(t.tenantId, dto, key?.trim() || undefined);
    res.setHeader('Location', `/returns/${r.returnId}`);
    return { returnId: r.returnId, notRecoverable: r.notRecoverable, replayed: !r.created };
  }

  @Get(':id')
  get(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string) {
    return this.view.get(t.tenantId, id);
  }
}
