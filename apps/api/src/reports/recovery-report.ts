import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerKind, recoveryRate, summarizeLedger } from '@app/returns';
import { ReportRange } from './report-range';

export interface SupplierRecovery {
  supplierId: string | null;
  supplierName: string | null;
  currency: string;
  cases: number;
  requestedMinor: number;
  grantedMinor: number;
  /** granted / requested, 0..1 (1 when nothing was requested). */
  recoveryRate: number;
}

export interface CurrencyTotals {
  currency: string;
  cases: number;
  requestedMinor: number;
  grantedMinor: number;
  recoveryRate: number;
  outflowMinor: number;
  recoveredMinor: number;
  netCostMinor: number;
}

/**
 * Recovery per supplier (the headline figure): supplier credit requested
 * against granted, per currency (amounts in different currencies are never
 * added), for the cases reported in the range, plus totals per currency.
 */
@Injectable()
export class RecoveryReport {
  constructor(private readonly ds: DataSource) {}

  async get(tenantId: string, range: ReportRange) {
    // Requested credit is referenced by supplier, granted credit by the request it answers.
    const perSupplier: { supplier_id: string | null; name: string | null; currency: string; cases: string; requested: string; granted: string }[] = await this.ds.query(
      `WITH cases AS (
         SELECT s.id AS saga_id FROM returns r JOIN sagas s ON s.return_id = r.id
         WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3),
       credit AS (
         SELECT le.saga_id, le.kind, le.amount_minor, le.currency,
                CASE WHEN le.kind = 'SUPPLIER_CREDIT_REQUESTED' THEN sup.id ELSE sr.supplier_id END AS supplier_id
         FROM ledger_entries le
         JOIN cases c ON c.saga_id = le.saga_id
         LEFT JOIN suppliers sup ON le.kind = 'SUPPLIER_CREDIT_REQUESTED' AND sup.id::text = le.reference AND sup.tenant_id = $1
         LEFT JOIN supplier_requests sr ON le.kind = 'SUPPLIER_CREDIT_GRANTED' AND sr.id::text = le.reference
         WHERE le.tenant_id = $1 AND le.kind IN ('SUPPLIER_CREDIT_REQUESTED', 'SUPPLIER_CREDIT_GRANTED'))
       SELECT credit.supplier_id, s.name, credit.currency, count(DISTINCT credit.saga_id) AS cases,
              coalesce(sum(amount_minor) FILTER (WHERE kind = 'SUPPLIER_CREDIT_REQUESTED'), 0) AS requested,
              coalesce(sum(amount_minor) FILTER (WHERE kind = 'SUPPLIER_CREDIT_GRANTED'), 0) AS granted
       FROM credit LEFT JOIN suppliers s ON s.id = credit.supplier_id
       GROUP BY credit.supplier_id, s.name, credit.currency
       ORDER BY s.name NULLS LAST, credit.currency`,
      [tenantId, range.start, range.end],
    );
    const perCurrency: { currency: string; kind: LedgerKind; amount: string }[] = await this.ds.query(
      `SELECT le.currency, le.kind, sum(le.amount_minor) AS amount
       FROM ledger_entries le JOIN sagas s ON s.id = le.saga_id JOIN returns r ON r.id = s.return_id
       WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3
       GROUP BY le.currency, le.kind ORDER BY le.currency`,
      [tenantId, range.start, range.end],
    );
    const caseCounts: { currency: string; cases: string }[] = await this.ds.query(
      `SELECT le.currency, count(DISTINCT le.saga_id) AS cases
       FROM ledger_entries le JOIN sagas s ON s.id = le.saga_id JOIN returns r ON r.id = s.return_id
       WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3 GROUP BY le.currency`,
      [tenantId, range.start, range.end],
    );

    const suppliers: SupplierRecovery[] = perSupplier.map((r) => ({
      supplierId: r.supplier_id, supplierName: r.name, currency: r.currency, cases: Number(r.cases),
      requestedMinor: Number(r.requested), grantedMinor: Number(r.granted), recoveryRate: recoveryRate(Number(r.requested), Number(r.granted)),
    }));
    const totals: CurrencyTotals[] = caseCounts.map(({ currency, cases }) => {
      const s = summarizeLedger(perCurrency.filter((r) => r.currency === currency).map((r) => ({ kind: r.kind, amountMinor: Number(r.amount) })));
      return {
        currency, cases: Number(cases),
        requestedMinor: s.supplierCreditRequestedMinor, grantedMinor: s.supplierCreditGrantedMinor,
        recoveryRate: recoveryRate(s.supplierCreditRequestedMinor, s.supplierCreditGrantedMinor),
        outflowMinor: s.outflowMinor, recoveredMinor: s.recoveredMinor, netCostMinor: s.netCostMinor,
      };
    });
    return { from: range.from, to: range.to, suppliers, totals };
  }
}
