import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { EventType, EventTypes, toNumber } from '@app/contracts';

const list = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** A century: further back than any case, and still a valid date once subtracted from now. */
const MAX_AGE_HOURS = 100 * 366 * 24;

/** Which cases: every filter is optional and they combine with AND. Query string or JSON body (batch actions). */
export class CaseFilterDto {
  /** Must be the key's own tenant (keys are tenant-scoped); any other id finds nothing (404). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID() tenantId?: string;

  @ApiPropertyOptional({ description: 'Comma-separated in a query string', enum: EventTypes, isArray: true })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(10) @IsIn(EventTypes, { each: true }) eventType?: EventType[];

  @ApiPropertyOptional({ description: 'Saga state(s), comma-separated; PENDING = reported, saga not started yet', example: 'ESCALATED,REFUNDING', type: [String] })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(20) @Matches(/^[A-Z_]{2,40}$/, { each: true }) state?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Cases with a claim on this supplier' })
  @IsOptional() @IsUUID() supplierId?: string;

  @ApiPropertyOptional({ description: 'Reported at least this many hours ago', minimum: 0, maximum: MAX_AGE_HOURS })
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(MAX_AGE_HOURS) minAgeHours?: number;

  @ApiPropertyOptional({ description: 'Reported at most this many hours ago', minimum: 0, maximum: MAX_AGE_HOURS })
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(MAX_AGE_HOURS) maxAgeHours?: number;

  @ApiPropertyOptional({ description: 'Only cases with no progress past the expected time of their step, or an overdue deadline' })
  @IsOptional() @Transform(bool) @IsBoolean() stuck?: boolean;

  @ApiPropertyOptional({ description: 'Only cases flagged not recoverable from the supplier (at intake or after a rejection)' })
  @IsOptional() @Transform(bool) @IsBoolean() notRecoverable?: boolean;

  @ApiPropertyOptional({ description: 'true: open cases only; false: closed only' })
  @IsOptional() @Transform(bool) @IsBoolean() open?: boolean;

  @ApiPropertyOptional({ description: 'Search: a return id, an order id, or (part of) the store order id' })
  @IsOptional() @IsString() @Length(1, 200) q?: string;
}

export class CaseListQuery extends CaseFilterDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Length(1, 500) cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class PageQuery {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 500) cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(500) limit?: number;
}
