import { Body, Controller, Get, Injectable, Param, Post } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { IsCount, IsCurrencyCode, IsMinorAmount, IsTimestamp, Locale, Locales, MAX_MINOR, MaxLen, upperCase } from '@app/contracts';
import { DomainError, ErrorCode, notFound, ParseUuid } from '@app/platform';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';

export class OrderLineDto {
  /** The store's line id, e.g. gid://shopify/LineItem/1 */
  @IsString() @Length(1, MaxLen.id) externalId!: string;
  @IsString() @Length(1, MaxLen.id) sku!: string;
  @IsString() @Length(1, MaxLen.text) title!: string;
  /** Stored in an int column. */
  @IsCount() quantity!: number;
  @IsMinorAmount() unitPriceMinor!: number;
  @IsUUID() supplierId!: string;
}

export class CustomerDto {
  @IsEmail() @MaxLength(MaxLen.email) email!: string;
  @IsOptional() @IsString() @Length(1, MaxLen.name) name?: string;
}

export class RegisterOrderDto {
  /** The store's order id, e.g. gid://shopify/Order/1001 */
  @IsString() @Length(1, MaxLen.id) externalId!: string;
  /** What the customer knows the order by, e.g. "#1001" (shown in e-mails). */
  @IsOptional() @IsString() @Length(1, 50) orderNumber?: string;
  /** ISO 4217; amounts are in its minor units (JPY 0 digits, EUR 2, KWD 3). */
  @Transform(upperCase) @IsCurrencyCode() currency!: string;
  @IsOptional() @IsIn(Locales) locale?: Locale;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => CustomerDto) customer!: CustomerDto;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => OrderLineDto) lines!: OrderLineDto[];
  @IsMinorAmount() shippingMinor: number = 0;
  @IsMinorAmount() taxMinor: number = 0;
  @IsTimestamp() orderedAt!: string;
  @IsOptional() @IsTimestamp() promisedAt?: string;
  @IsOptional() @IsTimestamp() deliveredAt?: string;
}

@Injectable()
export class OrdersService {
  constructor(private readonly ds: DataSource) {}

  async register(tenantId: string, dto: RegisterOrderDto) {
    const supplierIds = [...new Set(dto.lines.map((l) => l.supplierId))];
    const known = await this.ds.query(`SELECT id FROM suppliers WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, supplierIds]);
    const missing = supplierIds.filter((id) => !known.some((k: { id: string }) => k.id === id));
    if (missing.length) throw new DomainError(ErrorCode.Invalid, `unknown supplier(s): ${missing.join(', ')}`, { fields: ['lines.supplierId'] });
    const id = randomUUID();
    const totalPaid = dto.lines.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0) + dto.shippingMinor + dto.taxMinor;
    // Each amount is exact; their total must be too (and fit the bigint column).
    if (!(totalPaid <= MAX_MINOR)) throw new DomainError(ErrorCode.Invalid, `lines: the order total exceeds ${MAX_MINOR} minor units`, { fields: ['lines'] });
    const inserted = await this.ds.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO orders (id, tenant_id, external_id, order_number, currency, locale, customer_email, customer_name, shipping_minor, tax_minor, total_paid_minor, ordered_at, promised_at, delivered_at)
         VALUES ($1, $2, $3, $14, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id`,
        [id, tenantId, dto.externalId, dto.currency, dto.locale ?? 'en', dto.customer.email, dto.customer.name ?? null, dto.shippingMinor, dto.taxMinor, totalPaid,
          dto.orderedAt, dto.promisedAt ?? null, dto.deliveredAt ?? null, dto.orderNumber ?? null],
      );
      if (!rows.length) return false;
      for (const l of dto.lines) {
        await m.query(
          `INSERT INTO order_lines (id, order_id, external_id, sku, title, quantity, unit_price_minor, supplier_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [randomUUID(), id, l.externalId, l.sku, l.title, l.quantity, l.unitPriceMinor, l.supplierId],
        );
      }
      return true;
    });
    if (!inserted) throw new DomainError(ErrorCode.Conflict, `order ${dto.externalId} is already registered`);
    return this.get(tenantId, id);
  }

  async get(tenantId: string, id: string) {
    const [o] = await this.ds.query(`SELECT * FROM orders WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    if (!o) throw notFound('order');
    const lines = await this.ds.query(`SELECT id, external_id, sku, title, quantity, unit_price_minor, supplier_id FROM order_lines WHERE order_id = $1 ORDER BY external_id`, [id]);
    return {
      id: o.id, externalId: o.external_id, orderNumber: o.order_number, currency: o.currency, locale: o.locale, customer: { email: o.customer_email, name: o.customer_name },
      shippingMinor: Number(o.shipping_minor), taxMinor: Number(o.tax_minor), totalPaidMinor: Number(o.total_paid_minor),
      orderedAt: o.ordered_at, promisedAt: o.promised_at, deliveredAt: o.delivered_at,
      lines: lines.map((l: Record<string, unknown>) => ({
        id: l.id, externalId: l.external_id, sku: l.sku, title: l.title, quantity: l.quantity, unitPriceMinor: Number(l.unit_price_minor), supplierId: l.supplier_id,
      })),
    };
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  register(@CurrentTenant() t: TenantPrincipal, @Body() dto: RegisterOrderDto) {
    return this.orders.register(t.tenantId, dto);
  }

  @Get(':id')
  get(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string) {
    return this.orders.get(t.tenantId, id);
  }
}
