import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, isUUID, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { EventTypes, RequestSupplierAction, SupplierRequestKinds, toNumber } from '@app/contracts';
import { badCursor, isPgTimestamp } from '../ops/cursor';
import { answerPath, requestData, WebhookEventTypes } from '@app/suppliers';

export const RequestStatuses = ['open', 'answered', 'all'] as const;

/** Query of the pull API. Unknown parameters are rejected. */
export class SupplierRequestsQuery {
  @ApiPropertyOptional({ enum: RequestStatuses, default: 'open', description: 'open: not answered yet and the case is still running' })
  @IsOptional() @IsIn(RequestStatuses) status: (typeof RequestStatuses)[number] = 'open';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100) limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Length(1, 500) cursor?: string;
}

export class RequestLineDto {
  @ApiProperty({ example: 'VASE-CER-01' }) sku!: string;
  @ApiProperty({ example: 'Ceramic vase' }) title!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: 'integer', example: 1999, description: 'minor units' }) unitPriceMinor!: number;
  @ApiProperty({ example: 'gid://shopify/LineItem/10010', description: "the shop's line id" }) lineId!: string;
}

export class AmountDto {
  @ApiProperty({ type: 'integer', example: 3998, description: 'minor units (cents)' }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '39.98', description: 'the same amount as a decimal string, for display' }) decimal!: string;
}

/** `data` of a request webhook; the pull API returns the same object. */
export class RequestDataDto {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid', description: 'your supplier link id (send it as X-Supplier-Id on signed calls)' }) supplierId!: string;
  @ApiProperty({ enum: SupplierRequestKinds }) kind!: string;
  @ApiProperty({ enum: EventTypes }) eventType!: string;
  @ApiProperty({ example: 'gid://shopify/Order/1001', description: "the shop's order id" }) orderId!: string;
  @ApiProperty({ type: [RequestLineDto] }) lines!: RequestLineDto[];
  @ApiProperty({ type: AmountDto, description: 'credit asked for' }) amount!: AmountDto;
  @ApiProperty({ type: [String], example: ['https://photos.example/broken.jpg'] }) evidenceUrls!: string[];
  @ApiProperty({ type: String, nullable: true, example: 'Arrived broken' }) reason!: string | null;
  @ApiProperty({ format: 'date-time', description: 'answer before this time' }) answerBy!: string;
  @ApiProperty({ example: '/supplier-api/requests/3f0c…/answer', description: 'where to POST the answer (absolute in webhooks, relative to the API base in the pull API)' }) answerUrl!: string;
}

export class SupplierRequestView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ enum: Object.values(WebhookEventTypes).filter((t) => t !== WebhookEventTypes.REMINDER) }) type!: string;
  @ApiProperty({ enum: ['open', 'answered', 'closed'], description: 'closed: unanswered, but the case no longer needs an answer' }) status!: 'open' | 'answered' | 'closed';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: RequestDataDto }) data!: RequestDataDto;
}

export class SupplierRequestsPage {
  @ApiProperty({ type: [SupplierRequestView] }) items!: SupplierRequestView[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last page' }) nextCursor!: string | null;
}

interface Row {
  id: string;
  kind: keyof typeof WebhookEventTypes;
  body: RequestSupplierAction;
  created_at: Date;
  /** created_at at full (microsecond) precision, for the cursor. */
  created_exact: string;
  answered_at: Date | null;
  closed_at: Date | null;
}

const encodeCursor = (r: Row) => Buffer.from(`${r.created_exact}|${r.id}`).toString('base64url');
function decodeCursor(c: string): [string, string] {
  const [at, id, ...rest] = Buffer.from(c, 'base64url').toString().split('|');
  if (rest.length || !isPgTimestamp(at) || !isUUID(id ?? '')) throw badCursor();
  return [at, id];
}

/**
 * The pull API for suppliers that cannot receive webhooks: their own requests
 * (never another supplier's or tenant's), oldest first, with the same `data`
 * a webhook carries.
 */
@Injectable()
export class ListSupplierRequests {
  constructor(private readonly ds: DataSource) {}

  async execute(supplier: { tenantId: string; supplierId: string }, q: SupplierRequestsQuery): Promise<SupplierRequestsPage> {
    const where = [`r.supplier_id = $1`, `r.tenant_id = $2`];
    const params: unknown[] = [supplier.supplierId, supplier.tenantId];
    if (q.status === 'open') where.push(`a.request_id IS NULL AND g.closed_at IS NULL`);
    if (q.status === 'answered') where.push(`a.request_id IS NOT NULL`);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      params.push(at, id);
      where.push(`(r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows: Row[] = await this.ds.query(
      `SELECT r.id, r.kind, r.body, r.created_at, r.created_at::text AS created_exact, a.received_at AS answered_at, g.closed_at
       FROM supplier_requests r
       LEFT JOIN supplier_answers a ON a.request_id = r.id
       LEFT JOIN sagas g ON g.id = r.saga_id
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at, r.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        requestId: r.id,
        type: WebhookEventTypes[r.kind],
        status: r.answered_at ? 'answered' : r.closed_at ? 'closed' : 'open',
        createdAt: r.created_at.toISOString(),
        answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
        data: requestData(r.body, answerPath(r.id)),
      })),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}
