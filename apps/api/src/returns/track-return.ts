import { Body, Controller, HttpCode, Injectable, Module, Param, Post } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';
import { DataSource } from 'typeorm';
import { IsTimestamp, MaxLen, ReturnTracked, TrackingStatus, TrackingStatuses } from '@app/contracts';
import { Clock, Messaging, notFound, ParseUuid } from '@app/platform';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';

/** A carrier or warehouse scan, or a customer action, on an open return. Unknown fields are rejected. */
export class TrackReturnDto {
  @IsIn(TrackingStatuses) status!: TrackingStatus;
  @IsOptional() @IsString() @Length(1, 100) carrier?: string;
  @IsOptional() @IsString() @Length(1, 100) trackingNumber?: string;
  /** Required with EVIDENCE_ADDED: the photos or documents the supplier asked for. */
  @ValidateIf((o: TrackReturnDto) => o.status === 'EVIDENCE_ADDED' || o.evidenceUrls !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ArrayUnique() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true }) @MaxLength(MaxLen.url, { each: true })
  evidenceUrls?: string[];
  /** When the scan happened; now when omitted. */
  @IsOptional() @IsTimestamp() at?: string;
}

/**
 * Records a tracking event for one of the tenant's returns and hands it to the
 * orchestrator as ReturnTracked (through the outbox, keyed by the return, so it
 * stays in order with the return's other messages on its topic).
 */
@Injectable()
export class TrackReturn {
  constructor(private readonly ds: DataSource, private readonly messaging: Messaging, private readonly clock: Clock) {}

  async execute(tenantId: string, returnId: string, dto: TrackReturnDto): Promise<{ returnId: string; messageId: string; status: TrackingStatus; at: string }> {
    const result = await this.ds.transaction(async (m) => {
      const [r] = await m.query(`SELECT id FROM returns WHERE id = $1 AND tenant_id = $2`, [returnId, tenantId]);
      if (!r) throw notFound('return');
      const at = dto.at ? new Date(dto.at).toISOString() : this.clock.now().toISOString();
      const env = await this.messaging.outbox.emit<ReturnTracked>(m, 'ReturnTracked', { returnId, tenantId, correlationId: returnId }, {
        status: dto.status, carrier: dto.carrier, trackingNumber: dto.trackingNumber, evidenceUrls: dto.evidenceUrls, at,
      });
      return { returnId, messageId: env.id, status: dto.status, at };
    });
    this.messaging.nudge();
    return result;
  }
}

@Controller('returns')
export class ReturnTrackingController {
  constructor(private readonly track: TrackReturn) {}

  /** 202: accepted; the case reacts asynchronously (see GET /returns/:id). */
  @Post(':id/events')
  @HttpCode(202)
  record(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string, @Body() dto: TrackReturnDto) {
    return this.track.execute(t.tenantId, id, dto);
  }
}

@Module({ controllers: [ReturnTrackingController], providers: [TrackReturn] })
export class ReturnTrackingModule {}
