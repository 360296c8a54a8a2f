import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';
import { createHash } from 'crypto';
import { DataSource } from 'typeorm';
import { IsCurrencyCode, IsMinorAmount, MaxLen, SupplierAnswered, SupplierDecision, SupplierDecisions, upperCase } from '@app/contracts';
import { Clock, DomainError, ErrorCode, Messaging, notFound } from '@app/platform';

/** A supplier's answer to one of our requests. Unknown fields are rejected (400), never stored. */
export class SupplierAnswerDto {
  @ApiProperty({ enum: SupplierDecisions, description: 'APPROVED: full credit; PARTIALLY_APPROVED: credit of amountMinor; REJECTED: no credit (reason required); NEEDS_EVIDENCE: send more evidence (reason required); REPLACEMENT_SHIPPED: a replacement is on its way (trackingNumber required)' })
  @IsIn(SupplierDecisions) decision!: SupplierDecision;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 3998, description: 'Credit granted in minor units (cents). APPROVED: defaults to the amount asked; PARTIALLY_APPROVED: required' })
  @ValidateIf((o: SupplierAnswerDto) => o.decision === 'PARTIALLY_APPROVED' || o.amountMinor !== undefined) @IsMinorAmount() amountMinor?: number;

  @ApiPropertyOptional({ example: 'EUR', minLength: 3, maxLength: 3, description: 'ISO 4217 currency of amountMinor (the request\'s currency)' })
  @IsOptional() @Transform(upperCase) @IsCurrencyCode() currency?: string;

  @ApiPropertyOptional({ example: 'RMA-2025-0042', maxLength: 100, description: 'Your RMA number' })
  @IsOptional() @IsString() @Length(1, 100) rmaNumber?: string;

  @ApiPropertyOptional({ format: 'uri', example: 'https://labels.supplier.example/RMA-2025-0042.pdf', description: 'Return label, when the item must come back' })
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) @MaxLength(MaxLen.url) returnLabelUrl?: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Returns dept., 12 Harbour Rd, Rotterdam', description: 'Where to send the item, when it must come back' })
  @IsOptional() @IsString() @Length(1, 1000) returnAddress?: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'packaging was intact on dispatch photos', description: 'Required for REJECTED and NEEDS_EVIDENCE' })
  @ValidateIf((o: SupplierAnswerDto) => o.decision === 'REJECTED' || o.decision === 'NEEDS_EVIDENCE' || o.reason !== undefined) @IsString() @Length(1, 1000) reason?: string;

  @ApiPropertyOptional({ maxLength: 100, example: '1Z999AA10123456784', description: 'Required for REPLACEMENT_SHIPPED' })
  @ValidateIf((o: SupplierAnswerDto) => o.decision === 'REPLACEMENT_SHIPPED' || o.trackingNumber !== undefined) @IsString() @Length(1, 100) trackingNumber?: string;
}

export class AnswerRecordedDto {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ enum: ['recorded'] }) status!: 'recorded';
  @ApiProperty({ description: 'true when this exact answer had already been recorded (nothing happened again)' }) duplicate!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) answeredAt!: Date;
}

/**
 * Records a supplier's answer exactly once: the same answer again is 200 with
 * the same result; a different answer to an answered request is 409.
 */
@Injectable()
export class RecordSupplierAnswer {
  constructor(private readonly ds: DataSource, private readonly messaging: Messaging, private readonly clock: Clock) {}

  async execute(supplier: { tenantId: string; supplierId: string }, requestId: string, dto: SupplierAnswerDto, via: 'CALLBACK' | 'OPS' = 'CALLBACK'): Promise<AnswerRecordedDto> {
    const answer = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
    const hash = createHash('sha256').update(JSON.stringify(answer, Object.keys(answer).sort())).digest('hex');
    const result = await this.ds.transaction(async (m) => {
      const [req] = await m.query(`SELECT id, saga_id, return_id, tenant_id, supplier_id FROM supplier_requests WHERE id = $1 AND supplier_id = $2 AND tenant_id = $3`,
        [requestId, supplier.supplierId, supplier.tenantId]);
      if (!req) throw notFound('request');
      const now = this.clock.now();
      const inserted = await m.query(
        `INSERT INTO supplier_answers (request_id, supplier_id, tenant_id, answer, answer_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
        [requestId, supplier.supplierId, supplier.tenantId, JSON.stringify(answer), hash, now],
      );
      if (!inserted.length) {
        const [prior] = await m.query(`SELECT answer_hash, received_at FROM supplier_answers WHERE request_id = $1`, [requestId]);
        if (prior.answer_hash !== hash) throw new DomainError(ErrorCode.Conflict, 'this request was already answered differently', { answeredAt: prior.received_at });
        return { requestId, status: 'recorded' as const, duplicate: true, answeredAt: prior.received_at };
      }
      await this.messaging.outbox.emit<SupplierAnswered>(m, 'SupplierAnswered', { returnId: req.return_id, tenantId: req.tenant_id }, {
        sagaId: req.saga_id, requestId, supplierId: req.supplier_id, decision: dto.decision, amountMinor: dto.amountMinor, currency: dto.currency,
        rmaNumber: dto.rmaNumber, returnLabelUrl: dto.returnLabelUrl, returnAddress: dto.returnAddress, reason: dto.reason, trackingNumber: dto.trackingNumber,
        via, answeredAt: now.toISOString(),
      });
      return { requestId, status: 'recorded' as const, duplicate: false, answeredAt: now };
    });
    this.messaging.nudge();
    return result;
  }
}
