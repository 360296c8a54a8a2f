import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUrl, IsUUID, Length, Min, ValidateNested,
} from 'class-validator';
import { EventType, EventTypes, Locale, Locales, Resolution, Resolutions } from '../enums';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';
import { SupplierPolicy, TenantPolicy } from './policies';

export class ClaimLine {
  @IsUUID() lineId!: string;
  @IsString() externalLineId!: string;
  @IsString() sku!: string;
  @IsString() title!: string;
  @IsInt() @Min(1) quantity!: number;
  @IsInt() @Min(0) unitPriceMinor!: number;
}

/** One supplier's share of a customer case: a case with lines from several suppliers has several claims. */
export class SupplierClaim {
  @IsUUID() supplierId!: string;
  @IsString() supplierName!: string;
  @IsInt() @Min(1) policyVersion!: number;
  @ValidateNested() @Type(() => SupplierPolicy) policy!: SupplierPolicy;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ClaimLine) lines!: ClaimLine[];
  @IsInt() @Min(0) claimMinor!: number;
  /** Set at intake when the case falls into a policy gap: the cost is the tenant's. */
  @IsOptional() @IsString() notRecoverable?: string;
}

export class Customer {
  @IsEmail() email!: string;
  @IsOptional() @IsString() name?: string;
}

export class Brand {
  @IsString() name!: string;
  @IsEmail() senderEmail!: string;
}

/** A customer reported a problem; the api accepted it. Carries everything the saga needs. */
export class ReturnReported {
  @IsUUID() orderId!: string;
  @IsString() externalOrderId!: string;
  /** The order as the customer knows it ("#1001"). */
  @IsOptional() @IsString() orderNumber?: string;
  @IsIn(EventTypes) eventType!: EventType;
  @IsOptional() @IsString() reason?: string;
  @IsIn(Resolutions) resolution!: Resolution;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() @Length(3, 3) shopCurrency!: string;
  @IsIn(Locales) locale!: Locale;
  @ValidateNested() @Type(() => Customer) customer!: Customer;
  @ValidateNested() @Type(() => Brand) brand!: Brand;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SupplierClaim) claims!: SupplierClaim[];
  /** Shipping refundable with this case (minor units). */
  @IsInt() @Min(0) shippingMinor!: number;
  /** What was paid for the order minus what was already refunded. */
  @IsInt() @Min(0) refundableMinor!: number;
  @IsArray() @IsUrl({ require_tld: false }, { each: true }) evidenceUrls!: string[];
  @IsInt() @Min(1) tenantPolicyVersion!: number;
  @ValidateNested() @Type(() => TenantPolicy) tenantPolicy!: TenantPolicy;
  @IsOptional() @IsISO8601() deliveredAt?: string;
  @IsOptional() @IsISO8601() promisedAt?: string;
  @IsOptional() @IsISO8601() newEta?: string;
  @IsOptional() @IsString() trackingNumber?: string;
  /** QUALITY_ISSUE: the item is defective (never a restocking fee). Assumed when absent; false for "not as described". */
  @IsOptional() @IsBoolean() defect?: boolean;
}
registerMessage('ReturnReported', Topics.ReturnsReported, ReturnReported);

export const TrackingStatuses = ['RETURN_IN_TRANSIT', 'RETURN_RECEIVED', 'ORDER_DELIVERED', 'ORDER_LOST', 'CUSTOMER_CANCEL_REQUESTED', 'EVIDENCE_ADDED'] as const;
export type TrackingStatus = (typeof TrackingStatuses)[number];

/** A carrier or warehouse scan, or a customer action, about a return already open. */
export class ReturnTracked {
  @IsIn(TrackingStatuses) status!: TrackingStatus;
  @IsOptional() @IsString() carrier?: string;
  @IsOptional() @IsString() trackingNumber?: string;
  @IsOptional() @IsArray() @IsUrl({ require_tld: false }, { each: true }) evidenceUrls?: string[];
  @IsISO8601() at!: string;
}
registerMessage('ReturnTracked', Topics.ReturnsTracking, ReturnTracked);
