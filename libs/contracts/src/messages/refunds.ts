import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min, ValidateNested } from 'class-validator';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';

export class RefundLine {
  @IsString() externalLineId!: string;
  @IsInt() @Min(1) quantity!: number;
  @IsInt() @Min(0) amountMinor!: number;
}

/** STORE_CREDIT goes to the customer's store credit account (or a gift card) instead of back to the payment method. */
export const RefundPurposes = ['CUSTOMER_REFUND', 'GOODWILL', 'CANCEL_REFUND', 'STORE_CREDIT'] as const;
export type RefundPurpose = (typeof RefundPurposes)[number];

/** Orchestrator → refunds: pay the customer back. `refundId` is the idempotency key end to end. */
export class IssueRefund {
  @IsUUID() sagaId!: string;
  @IsUUID() refundId!: string;
  @IsIn(RefundPurposes) purpose!: RefundPurpose;
  @IsString() externalOrderId!: string;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() @Length(3, 3) shopCurrency!: string;
  @IsInt() @Min(1) amountMinor!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => RefundLine) lines!: RefundLine[];
  @IsInt() @Min(0) shippingMinor!: number;
  @IsOptional() @IsString() note?: string;
}
registerMessage('IssueRefund', Topics.RefundCommands, IssueRefund);

export class RefundIssued {
  @IsUUID() sagaId!: string;
  @IsUUID() refundId!: string;
  @IsIn(RefundPurposes) purpose!: RefundPurpose;
  @IsInt() @Min(1) amountMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() providerRefundId!: string;
  /** STORE_CREDIT paid as a gift card (the shop has no store credit): the code the customer spends, shown once by the store. */
  @IsOptional() @IsString() giftCardCode?: string;
}
registerMessage('RefundIssued', Topics.RefundEvents, RefundIssued);

export class RefundFailed {
  @IsUUID() sagaId!: string;
  @IsUUID() refundId!: string;
  @IsIn(RefundPurposes) purpose!: RefundPurpose;
  @IsString() reason!: string;
  /** Permanent: the provider refused (e.g. over-refund); retrying cannot help. */
  @IsBoolean() permanent!: boolean;
}
registerMessage('RefundFailed', Topics.RefundEvents, RefundFailed);
