import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { EventType, EventTypes, IsCount, IsTimestamp, MaxLen, Resolution, Resolutions, ReturnReported, SupplierClaim, SupplierPolicy, TenantPolicy } from '@app/contracts';
import { assertSameRequest, Clock, DomainError, ErrorCode, Messaging, notFound, requestFingerprint } from '@app/platform';
import { checkEligibility, notRecoverableReason } from '@app/returns';

export class ReturnLineDto {
  /** Our order line id, or … */
  @ValidateIf((o: ReturnLineDto) => !o.externalLineId) @IsUUID() lineId?: string;
  /** … the store's line id. */
  @ValidateIf((o: ReturnLineDto) => !o.lineId) @IsString() @Length(1, MaxLen.id) externalLineId?: string;
  @IsCount() quantity!: number;
}

export class ReportReturnDto {
  @ValidateIf((o: ReportReturnDto) => !o.externalOrderId) @IsUUID() orderId?: string;
  @ValidateIf((o: ReportReturnDto) => !o.orderId) @IsString() @Length(1, MaxLen.id) externalOrderId?: string;
  @IsIn(EventTypes) eventType!: EventType;
  @IsOptional() @IsString() @Length(1, 500) reason?: string;
  /** The customer's choice; defaults to the tenant policy's default for the event type. */
  @IsOptional() @IsIn(Resolutions) resolution?: Resolution;
  /** Lines concerned; all lines when omitted (e.g. a lost parcel). */
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ReturnLineDto) lines?: ReturnLineDto[];
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true }) @MaxLength(MaxLen.url, { each: true }) evidenceUrls?: string[];
  /** LATE_DELIVERY: the new expected date from the carrier/supplier. */
  @IsOptional() @IsTimestamp() newEta?: string;
  @IsOptional() @IsString() @Length(1, MaxLen.id) trackingNumber?: string;
  /** QUALITY_ISSUE: false when the item works but is not as described (a restocking fee may apply); a defect otherwise. */
  @IsOptional() @IsBoolean() defect?: boolean;
}

interface OrderRow {
  id: string;
  external_id: string;
  order_number: string | null;
  currency: string;
  locale: 'en' | 'nl' | 'da';
  customer_email: string;
  customer_name: string | null;
  shipping_minor: string;
  total_paid_minor: string;
  promised_at: Date | null;
  delivered_at: Date | null;
}

interface LineRow {
  id: string;
  external_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price_minor: string;
  supplier_id: string;
}

const DAY = 86_400_000;

/**
 * Intake: checks the claim against the order and the tenant's promise, splits
 * it into one claim per supplier with the policy in force, flags what cannot
 * be recovered, and records the return and its ReturnReported message in one
 * transaction. The same Idempotency-Key returns the same return.
 */
@Injectable()
export class ReportReturn {
  constructor(private readonly ds: DataSource, private readonly messaging: Messaging, private readonly clock: Clock) {}

  async execute(tenantId: string, dto: ReportReturnDto, idempotencyKey?: string): Promise<{ returnId: string; notRecoverable: string[]; created: boolean }> {
    const fingerprint = requestFingerprint(dto);
    if (idempotencyKey) {
      const prior = await this.byKey(this.ds.manager, tenantId, idempotencyKey, fingerprint);
      if (prior) return { ...prior, created: false };
    }
    const result = await this.ds.transaction(async (m) => {
      const order = await this.lockOrder(m, tenantId, dto);
      if (idempotencyKey) {
        const prior = await this.byKey(m, tenantId, idempotencyKey, fingerprint); // raced with a twin request
        if (prior) return { ...prior, created: false };
      }
      const now = this.clock.now();
      const tenant = await this.tenant(m, tenantId);
      const eligibility = checkEligibility({
        eventType: dto.eventType, deliveredAt: order.delivered_at ?? undefined, promisedAt: order.promised_at ?? undefined,
        claimWindowDays: tenant.policy.claimWindowDays, now,
      });
      if (!eligibility.ok) throw new DomainError(ErrorCode.PolicyViolation, eligibility.reason, { reason: eligibility.reason });

      const lines: LineRow[] = await m.query(`SELECT * FROM order_lines WHERE order_id = $1 ORDER BY external_id`, [order.id]);
      const picked = this.pickLines(lines, dto);
      const wholeOrder = lines.every((l) => picked.find((p) => p.line.id === l.id)?.quantity === l.quantity);
      const linesMinor = picked.reduce((s, p) => s + Number(p.line.unit_price_minor) * p.quantity, 0);
      const shippingMinor = wholeOrder ? Number(order.shipping_minor) : 0;
      const resolution = dto.resolution ?? tenant.policy.defaultResolution[dto.eventType] ?? 'REFUND';

      // Money rule: claims on one order never add up to more than was paid for it.
      const [{ reserved }] = await m.query(`SELECT coalesce(sum((request->>'reservedMinor')::bigint), 0) AS reserved FROM returns WHERE order_id = $1`, [order.id]);
      const refundableMinor = Math.max(0, Number(order.total_paid_minor) - Number(reserved));
      const reservedMinor = resolution === 'REFUND' ? linesMinor + shippingMinor : 0;
      if (reservedMinor > refundableMinor)
        throw new DomainError(ErrorCode.PolicyViolation, `claim of ${reservedMinor} exceeds what is still refundable on this order (${refundableMinor})`, { reason: 'exceeds refundable amount' });

      const claims = await this.claims(m, picked, dto, tenant.policy, order, now);
      const returnId = randomUUID();
      const notRecoverable = claims.map((c) => c.notRecoverable).filter((x): x is string => !!x);
      await m.query(
        `INSERT INTO returns (id, tenant_id, order_id, event_type, reason, request, idempotency_key, not_recoverable, created_at, idempotency_fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [returnId, tenantId, order.id, dto.eventType, dto.reason ?? null, JSON.stringify({ ...dto, resolution, reservedMinor }), idempotencyKey ?? null,
          notRecoverable.length ? notRecoverable.join('; ') : null, now, idempotencyKey ? fingerprint : null],
      );
      const payload: ReturnReported = {
        orderId: order.id, externalOrderId: order.external_id, orderNumber: order.order_number ?? undefined, eventType: dto.eventType, reason: dto.reason, resolution,
        currency: order.currency, shopCurrency: tenant.shopCurrency, locale: order.locale,
        customer: { email: order.customer_email, name: order.customer_name ?? undefined },
        brand: { name: tenant.brandName, senderEmail: tenant.senderEmail },
        claims, shippingMinor, refundableMinor, evidenceUrls: dto.evidenceUrls ?? [],
        tenantPolicyVersion: tenant.version, tenantPolicy: tenant.policy,
        deliveredAt: order.delivered_at?.toISOString(), promisedAt: order.promised_at?.toISOString(), newEta: dto.newEta, trackingNumber: dto.trackingNumber, defect: dto.defect,
      };
      await this.messaging.outbox.emit(m, 'ReturnReported', { returnId, tenantId, correlationId: returnId }, payload);
      return { returnId, notRecoverable, created: true };
    });
    this.messaging.nudge();
    return result;
  }

  /** The return made under this key, if any; 422 when the key came with another request. */
  private async byKey(m: EntityManager, tenantId: string, key: string, fingerprint: string) {
    const [r] = await m.query(`SELECT id, not_recoverable, idempotency_fingerprint FROM returns WHERE tenant_id = $1 AND idempotency_key = $2`, [tenantId, key]);
    if (r) assertSameRequest(r.idempotency_fingerprint, fingerprint);
    return r ? { returnId: r.id as string, notRecoverable: r.not_recoverable ? String(r.not_recoverable).split('; ') : [] } : undefined;
  }

  private async lockOrder(m: EntityManager, tenantId: string, dto: ReportReturnDto): Promise<OrderRow> {
    const [order]: OrderRow[] = dto.orderId
      ? await m.query(`SELECT * FROM orders WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [dto.orderId, tenantId])
      : await m.query(`SELECT * FROM orders WHERE external_id = $1 AND tenant_id = $2 FOR UPDATE`, [dto.externalOrderId, tenantId]);
    if (!order) throw notFound('order');
    return order;
  }

  private async tenant(m: EntityManager, tenantId: string) {
    const [t] = await m.query(
      `SELECT t.brand_name, t.sender_email, t.shop_currency, p.version, p.policy FROM tenants t
       JOIN tenant_policies p ON p.tenant_id = t.id AND p.version = t.policy_version WHERE t.id = $1`,
      [tenantId],
    );
    return { brandName: t.brand_name, senderEmail: t.sender_email, shopCurrency: t.shop_currency, version: t.version as number, policy: Object.assign(new TenantPolicy(), t.policy) as TenantPolicy };
  }

  private pickLines(lines: LineRow[], dto: ReportReturnDto): { line: LineRow; quantity: number }[] {
    if (!dto.lines?.length) return lines.map((line) => ({ line, quantity: line.quantity }));
    return dto.lines.map((req, i) => {
      const line = lines.find((l) => (req.lineId ? l.id === req.lineId : l.external_id === req.externalLineId));
      if (!line) throw new DomainError(ErrorCode.Invalid, `lines.${i}: no such line on this order`, { fields: [`lines.${i}`] });
      if (req.quantity > line.quantity)
        throw new DomainError(ErrorCode.Invalid, `lines.${i}.quantity: at most ${line.quantity} were ordered`, { fields: [`lines.${i}.quantity`] });
      return { line, quantity: req.quantity };
    });
  }

  /** One claim per supplier, each with the supplier policy version in force and its recoverability. */
  private async claims(m: EntityManager, picked: { line: LineRow; quantity: number }[], dto: ReportReturnDto, tenant: TenantPolicy, order: OrderRow, now: Date): Promise<SupplierClaim[]> {
    const bySupplier = new Map<string, { line: LineRow; quantity: number }[]>();
    for (const p of picked) bySupplier.set(p.line.supplier_id, [...(bySupplier.get(p.line.supplier_id) ?? []), p]);
    const suppliers = await m.query(
      `SELECT s.id, s.name, s.policy_version, p.policy FROM suppliers s JOIN supplier_policies p ON p.supplier_id = s.id AND p.version = s.policy_version WHERE s.id = ANY($1::uuid[])`,
      [[...bySupplier.keys()]],
    );
    const daysSinceDelivery = order.delivered_at ? Math.floor((now.getTime() - order.delivered_at.getTime()) / DAY) : undefined;
    return [...bySupplier].map(([supplierId, items]) => {
      const s = suppliers.find((x: { id: string }) => x.id === supplierId);
      const policy = Object.assign(new SupplierPolicy(), s.policy) as SupplierPolicy;
      const claimMinor = items.reduce((sum, p) => sum + Number(p.line.unit_price_minor) * p.quantity, 0);
      return {
        supplierId, supplierName: s.name, policyVersion: s.policy_version, policy, claimMinor,
        lines: items.map((p) => ({ lineId: p.line.id, externalLineId: p.line.external_id, sku: p.line.sku, title: p.line.title, quantity: p.quantity, unitPriceMinor: Number(p.line.unit_price_minor) })),
        notRecoverable: notRecoverableReason({
          eventType: dto.eventType, daysSinceDelivery, claimMinor, hasEvidence: !!dto.evidenceUrls?.length, resolution: dto.resolution ?? tenant.defaultResolution[dto.eventType] ?? 'REFUND', tenant, supplier: policy,
        }),
      };
    });
  }
}
