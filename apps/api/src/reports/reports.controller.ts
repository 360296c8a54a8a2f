import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';
import { LedgerExport } from './ledger-export';
import { RecoveryReport } from './recovery-report';
import { ReportRangeQuery, reportRange } from './report-range';

@Controller('reports')
export class ReportsController {
  constructor(private readonly ledger: LedgerExport, private readonly recovery: RecoveryReport) {}

  /** Accounting export: one CSV row per case reported between `from` and `to` (inclusive dates, UTC). */
  @Get('ledger.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  async ledgerCsv(@CurrentTenant() t: TenantPrincipal, @Query() q: ReportRangeQuery, @Res({ passthrough: true }) res: Response) {
    const range = reportRange(q);
    res.setHeader('content-disposition', `attachment; filename="ledger_${range.from ?? 'start'}_${range.to ?? 'now'}.csv"`);
    return this.ledger.csv(t.tenantId, range);
  }

  /** Supplier credit requested vs granted, per supplier and currency, with totals per currency. */
  @Get('recovery')
  recoveryRates(@CurrentTenant() t: TenantPrincipal, @Query() q: ReportRangeQuery) {
    return this.recovery.get(t.tenantId, reportRange(q));
  }
}
