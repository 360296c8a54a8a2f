import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { MAX_INT4 } from '@app/contracts';
import { SupplierAnswerDto } from '../supplier-api/supplier-answers';
import { CaseFilterDto } from './case-filter.dto';
import { SAGA_ACTIONS, SagaAction } from './case-rules';

/** Every ops action says why; the reason is kept in the audit trail and shown in the timeline. */
export class ActionReasonDto {
  @ApiProperty({ example: 'store credentials fixed, refund can go through now' })
  @IsString() @Length(3, 1000) reason!: string;
}

export class ResolveDto extends ActionReasonDto {
  @ApiPropertyOptional({ description: 'What was agreed, e.g. "refunded by hand in Shopify"' })
  @IsOptional() @IsString() @Length(1, 500) outcome?: string;
}

export class NoteDto {
  @ApiProperty({ example: 'Called the supplier; they will answer tomorrow.' })
  @IsString() @Length(1, 4000) text!: string;
}

export class RedeliverDto extends ActionReasonDto {
  @ApiProperty({ description: 'A delivery id from the case detail (`deliveries[].deliveryId`)' })
  @IsString() @Length(1, 100) deliveryId!: string;
}

/** The supplier's decision as ops heard it (phone, e-mail); same fields and rules as the supplier callback. */
export class SupplierDecisionDto extends SupplierAnswerDto {
  @ApiProperty({ format: 'uuid', description: 'Whose decision (a claim of this case)' })
  @IsUUID() supplierId!: string;

  @ApiProperty({ example: 'supplier confirmed by phone' })
  @IsString() @Length(3, 1000) note!: string;
}

export class BatchPreviewDto {
  @ApiProperty({ enum: SAGA_ACTIONS })
  @IsIn(SAGA_ACTIONS) action!: SagaAction;

  @ApiProperty({ type: CaseFilterDto })
  @IsObject() @ValidateNested() @Type(() => CaseFilterDto) filter!: CaseFilterDto;
}

export class BatchRunDto extends BatchPreviewDto {
  @ApiProperty()
  @IsString() @Length(3, 1000) reason!: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 500) outcome?: string;

  /** The `applicable` count of the preview; if the cases changed since, nothing runs (409 with the new count). */
  @ApiProperty({ description: 'The preview\'s applicable count: the batch runs only if it still matches' })
  @IsInt() @Min(0) @Max(MAX_INT4) expectedCount!: number;
}
