import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { CreditMethod, CreditMethods, EventType, EventTypes, RefundTiming, RefundTimings, Resolution, Resolutions } from '../enums';
import { IsMinorAmount, MaxLen } from '../validation';

/** `{ "DAMAGED": "REFUND", … }`: only event types as keys, only resolutions as values (it is stored as given). */
const IsResolutionByEventType = () =>
  ValidateBy({
    name: 'isResolutionByEventType',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' && v !== null && !Array.isArray(v)
        && Object.entries(v).every(([k, r]) => (EventTypes as readonly string[]).includes(k) && (Resolutions as readonly string[]).includes(r as string)),
      defaultMessage: () => `$property must map event types (${EventTypes.join(', ')}) to resolutions (${Resolutions.join(', ')})`,
    },
  });
import { IsPolicyDuration } from '../durations';

export class LateGoodwill {
  @IsIn(['NONE', 'PERCENT', 'DISCOUNT_CODE']) kind!: 'NONE' | 'PERCENT' | 'DISCOUNT_CODE';
  @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
  @IsOptional() @IsString() @MaxLength(MaxLen.id) discountCode?: string;
}

/** What the dropshipper promises customers. Versioned; a case keeps the version it started under. */
export class TenantPolicy {
  @IsInt() @Min(0) @Max(365) claimWindowDays: number = 30;
  @IsIn(RefundTimings) refundTiming: RefundTiming = 'ON_SUPPLIER_APPROVAL';
  /** Default customer resolution per event type; the customer's choice overrides within policy. */
  @IsObject() @IsResolutionByEventType() defaultResolution: Partial<Record<EventType, Resolution>> = {};
  @IsObject() @ValidateNested() @Type(() => LateGoodwill) lateGoodwill: LateGoodwill = Object.assign(new LateGoodwill(), { kind: 'NONE' });
  @IsInt() @Min(0) @Max(365) lateCancelThresholdDays: number = 10;
  /** LOST: a parcel whose tracking stays silent this many days after the claim is declared lost. */
  @IsInt() @Min(1) @Max(60) lostAfterSilentDays: number = 5;
  /** The same as an ISO 8601 duration (e.g. `PT30M` to try it in staging); wins over lostAfterSilentDays. */
  @IsOptional() @MaxLength(MaxLen.id) @IsPolicyDuration() lostAfterSilent?: string;
  /** How long the customer has to send an item back once told where (ISO 8601 duration; 30 days when unset). */
  @IsOptional() @MaxLength(MaxLen.id) @IsPolicyDuration() parcelDeadline?: string;
  /** Claims up to this amount are refunded without human review, even when the supplier refuses. */
  @IsMinorAmount() autoApproveBelowMinor: number = 0;
  @IsIn(['CUSTOMER', 'TENANT']) returnShippingPayer: 'CUSTOMER' | 'TENANT' = 'CUSTOMER';
  @IsOptional() @IsString() @MaxLength(MaxLen.id) wrongItemDiscountCode?: string;
  @IsInt() @Min(0) @Max(60) feedbackAfterDays: number = 3;
}

/** The supplier's own return policy, per linked supplier, versioned. */
export class SupplierPolicy {
  @IsInt() @Min(0) @Max(365) returnWindowDays: number = 30;
  @IsBoolean() acceptsReturns: boolean = true;
  @IsOptional() @IsString() @MaxLength(MaxLen.text) returnAddress?: string;
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) evidenceRequiredFor: EventType[] = [];
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) returnRequiredFor: EventType[] = [];
  @IsInt() @Min(0) @Max(100) restockingFeePercent: number = 0;
  @IsArray() @ArrayUnique() @IsIn(EventTypes, { each: true }) paysReturnShippingFor: EventType[] = [];
  @IsIn(CreditMethods) creditMethod: CreditMethod = 'REFUND';
  @IsInt() @Min(1) @Max(24 * 60) slaHours: number = 48;
  /** The answer SLA as an ISO 8601 duration (e.g. `PT15M` in staging); wins over slaHours. */
  @IsOptional() @MaxLength(MaxLen.id) @IsPolicyDuration() sla?: string;
  @IsOptional() @IsMinorAmount() claimLimitMinor?: number;
  /** Days after delivery within which a claim (e.g. with photo evidence) must be filed. */
  @IsOptional() @IsInt() @Min(0) @Max(365) claimWindowDays?: number;
}
