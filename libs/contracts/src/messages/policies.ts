import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CreditMethod, CreditMethods, EventType, EventTypes, RefundTiming, RefundTimings, Resolution, Resolutions } from '../enums';

export class LateGoodwill {
  @IsIn(['NONE', 'PERCENT', 'DISCOUNT_CODE']) kind!: 'NONE' | 'PERCENT' | 'DISCOUNT_CODE';
  @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
  @IsOptional() @IsString() discountCode?: string;
}

/** What the dropshipper promises customers. Versioned; a case keeps the version it started under. */
export class TenantPolicy {
  @IsInt() @Min(0) @Max(365) claimWindowDays: number = 30;
  @IsIn(RefundTimings) refundTiming: RefundTiming = 'ON_SUPPLIER_APPROVAL';
  /** Default customer resolution per event type; the customer's choice overrides within policy. */
  @IsObject() defaultResolution: Partial<Record<EventType, Resolution>> = {};
  @ValidateNested() @Type(() => LateGoodwill) lateGoodwill: LateGoodwill = Object.assign(new LateGoodwill(), { kind: 'NONE' });
  @IsInt() @Min(0) lateCancelThresholdDays: number = 10;
  /** LOST: a parcel whose tracking stays silent this many days after the claim is declared lost. */
  @IsInt() @Min(1) @Max(60) lostAfterSilentDays: number = 5;
  /** Claims up to this amount are refunded without human review, even when the supplier refuses. */
  @IsInt() @Min(0) autoApproveBelowMinor: number = 0;
  @IsIn(['CUSTOMER', 'TENANT']) returnShippingPayer: 'CUSTOMER' | 'TENANT' = 'CUSTOMER';
  @IsOptional() @IsString() wrongItemDiscountCode?: string;
  @IsInt() @Min(0) @Max(60) feedbackAfterDays: number = 3;
}

/** The supplier's own return policy, per linked supplier, versioned. */
export class SupplierPolicy {
  @IsInt() @Min(0) @Max(365) returnWindowDays: number = 30;
  @IsBoolean() acceptsReturns: boolean = true;
  @IsOptional() @IsString() returnAddress?: string;
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) evidenceRequiredFor: EventType[] = [];
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) returnRequiredFor: EventType[] = [];
  @IsInt() @Min(0) @Max(100) restockingFeePercent: number = 0;
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) paysReturnShippingFor: EventType[] = [];
  @IsIn(CreditMethods) creditMethod: CreditMethod = 'REFUND';
  @IsInt() @Min(1) @Max(24 * 60) slaHours: number = 48;
  @IsOptional() @IsInt() @Min(0) claimLimitMinor?: number;
  /** Days after delivery within which a claim (e.g. with photo evidence) must be filed. */
  @IsOptional() @IsInt() @Min(0) @Max(365) claimWindowDays?: number;
}
