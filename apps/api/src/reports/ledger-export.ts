import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { minorUnitDigits } from '@app/contracts';
import { LedgerKind, refundStatus, summarizeLedger, supplierCreditStatus, toDecimalString } from '@app/returns';
import { ReportRange } from './report-range';
import { notRecoverableSql } from '../returns/not-recoverable';

/**
 * Columns of the accounting export, in order. Amounts are decimals in the order's currency.
 * `restocking_fee` is what was kept back from the customer's refund or store credit: shown, not part of `net_cost`.
 */
export const LEDGER_CSV_COLUMNS = [
  'date', 'order', 'return_id', 'event_type', 'reason', 'state',
  'refunded', 'goodwill', 'store_credit', 'return_shipping', 'restocking_fee',
  'supplier_credit_requested', 'supplier_credit_granted', 'net_cost',
  'currency', 'shop_currency', 'refund_status', 'supplier_credit_status', 'not_recoverable',
] as const;
type Row = Record<(typeof LEDGER_CSV_COLUMNS)[number], string>;

interface CaseRow {
  return_id: string;
  created_at: Date;
  event_type: string;
  reason: string | null;
  not_recoverable: string | null;
  external_id: string;
  currency: string;
  tenant_shop_currency: string;
  saga_id: string | null;
  state: string | null;
  shop_currency: string | null;
  claim_statuses: string[] | null;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

/** Spreadsheets run cells starting with these as formulas; customer text must never do that. */
const FORMULA = /^[=+\-@\t\r]/;
const text = (v: string | null | undefined) => (v && FORMULA.test(v) ? `'${v}` : (v ?? ''));

/**
 * The accounting export: one row per case reported in the range (by the day
 * it was reported), with its ledger summed the same way the case view sums it.
 */
@Injectable()
export class LedgerExport {
  constructor(private readonly ds: DataSource) {}

  async rows(tenantId: string, range: ReportRange): Promise<Row[]> {
    const cases: CaseRow[] = await this.ds.query(
      `SELECT r.id AS return_id, r.created_at, r.event_type, r.reason, ${notRecoverableSql('r', 's')} AS not_recoverable, o.external_id, o.currency, t.shop_currency AS tenant_shop_currency,
              s.id AS saga_id, s.state, s.data->'case'->>'shopCurrency' AS shop_currency,
              (SELECT array_agg(c->>'status') FROM jsonb_array_elements(s.data->'claims') c) AS claim_statuses
       FROM returns r
       JOIN orders o ON o.id = r.order_id
       JOIN tenants t ON t.id = r.tenant_id
       LEFT JOIN LATERAL (SELECT id, state, data FROM sagas WHERE return_id = r.id ORDER BY created_at DESC LIMIT 1) s ON true
       WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3
       ORDER BY r.created_at, r.id`,
      [tenantId, range.start, range.end],
    );
    const sagaIds = cases.map((c) => c.saga_id).filter((x): x is string => !!x);
    const [ledger, refunds]: [{ saga_id: string; kind: LedgerKind; amount_minor: string }[], { saga_id: string; status: 'PENDING' | 'SUCCEEDED' | 'FAILED' }[]] = await Promise.all([
      this.ds.query(`SELECT saga_id, kind, amount_minor FROM ledger_entries WHERE saga_id = ANY($1::uuid[])`, [sagaIds]),
      this.ds.query(`SELECT saga_id, status FROM refunds WHERE saga_id = ANY($1::uuid[])`, [sagaIds]),
    ]);
    const entries = groupBy(ledger, (l) => l.saga_id);
    const refundsBySaga = groupBy(refunds, (r) => r.saga_id);
    return cases.map((c) => {
      const s = summarizeLedger((entries.get(c.saga_id ?? '') ?? []).map((l) => ({ kind: l.kind, amountMinor: Number(l.amount_minor) })));
      // A currency outside ISO 4217 (stored before codes were checked) has no known digits: its row shows minor units rather than failing the export.
      const money = (minor: number) => (minorUnitDigits(c.currency) === undefined ? String(minor) : toDecimalString(minor, c.currency));
      return {
        date: c.created_at.toISOString().slice(0, 10),
        order: text(c.external_id),
        return_id: c.return_id,
        event_type: c.event_type,
        reason: text(c.reason),
        state: c.state ?? 'PENDING',
        refunded: money(s.refundedMinor),
        goodwill: money(s.goodwillMinor),
        store_credit: money(s.storeCreditMinor),
        return_shipping: money(s.returnShippingMinor),
        restocking_fee: money(s.restockingFeeMinor),
        supplier_credit_requested: money(s.supplierCreditRequestedMinor),
        supplier_credit_granted: money(s.supplierCreditGrantedMinor),
        net_cost: money(s.netCostMinor),
        currency: c.currency,
        shop_currency: c.shop_currency ?? c.tenant_shop_currency,
        refund_status: refundStatus((refundsBySaga.get(c.saga_id ?? '') ?? []).map((r) => r.status)),
        supplier_credit_status: supplierCreditStatus({
          requestedMinor: s.supplierCreditRequestedMinor, grantedMinor: s.supplierCreditGrantedMinor, claimStatuses: c.claim_statuses ?? [],
        }),
        not_recoverable: text(c.not_recoverable),
      };
    });
  }

  async csv(tenantId: string, range: ReportRange): Promise<string> {
    return stringify(await this.rows(tenantId, range), { header: true, columns: [...LEDGER_CSV_COLUMNS], record_delimiter: 'windows' });
  }
}
