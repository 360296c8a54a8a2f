import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Put } from '@nestjs/common';
import { IsString, Length, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Locale, Locales, NotificationTemplate, NotificationTemplates } from '@app/contracts';
import { Clock, DomainError, ErrorCode, notFound } from '@app/platform';
import { isLocale, isNotificationTemplate, templateProblems, templateVariables, TEMPLATES } from '@app/notifications';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';

export class TenantTemplateDto {
  /** One line: it becomes a mail header. */
  @IsString() @Length(1, 200) @Matches(/^[^\r\n]*$/, { message: 'subject must be a single line' }) subject!: string;
  @IsString() @Length(1, 10_000) body!: string;
}

/**
 * A tenant's own e-mail text per contact moment and language. The
 * notifications service renders with it when present, else with the built-in
 * text; brand and sender always come from the tenant.
 */
@Injectable()
export class TenantTemplates {
  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  async get(tenantId: string, template: NotificationTemplate, locale: Locale) {
    const [row] = await this.ds.query(`SELECT subject, body, version, updated_at FROM tenant_templates WHERE tenant_id = $1 AND template = $2 AND locale = $3`, [tenantId, template, locale]);
    const builtIn = TEMPLATES[locale][template];
    return {
      template, locale, variables: templateVariables(template),
      ...(row
        ? { source: 'TENANT' as const, subject: row.subject as string, body: row.body as string, version: row.version as number, updatedAt: row.updated_at as Date }
        : { source: 'BUILT_IN' as const, subject: builtIn.subject, body: builtIn.body, version: 0, updatedAt: null }),
    };
  }

  async put(tenantId: string, template: NotificationTemplate, locale: Locale, dto: TenantTemplateDto) {
    const problems = templateProblems(template, dto);
    if (problems.length)
      throw new DomainError(ErrorCode.Invalid, problems.map((p) => p.message).join('; '), { errors: problems.map((p) => ({ field: p.field, message: p.message })) });
    await this.ds.query(
      `INSERT INTO tenant_templates (tenant_id, template, locale, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, template, locale) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, version = tenant_templates.version + 1, updated_at = EXCLUDED.updated_at`,
      [tenantId, template, locale, dto.subject, dto.body, this.clock.now()],
    );
    return this.get(tenantId, template, locale);
  }

  /** Back to the built-in text. */
  async remove(tenantId: string, template: NotificationTemplate, locale: Locale): Promise<void> {
    const [, count] = await this.ds.query(`DELETE FROM tenant_templates WHERE tenant_id = $1 AND template = $2 AND locale = $3`, [tenantId, template, locale]);
    if (!count) throw notFound('template override');
  }
}

/** Path parameters checked against the known contact moments and languages: 400 naming the bad one. */
function parse(template: string, locale: string): { template: NotificationTemplate; locale: Locale } {
  const fields = [...(isNotificationTemplate(template) ? [] : ['template']), ...(isLocale(locale) ? [] : ['locale'])];
  if (fields.length)
    throw new DomainError(ErrorCode.Invalid, `unknown ${fields.join(' and ')}: template is one of ${NotificationTemplates.join(', ')}; locale one of ${Locales.join(', ')}`, { fields });
  return { template: template as NotificationTemplate, locale: locale as Locale };
}

@Controller('tenant/templates')
export class TenantTemplatesController {
  constructor(private readonly templates: TenantTemplates) {}

  @Get(':template/:locale')
  get(@CurrentTenant() t: TenantPrincipal, @Param('template') template: string, @Param('locale') locale: string) {
    const p = parse(template, locale);
    return this.templates.get(t.tenantId, p.template, p.locale);
  }

  @Put(':template/:locale')
  put(@CurrentTenant() t: TenantPrincipal, @Param('template') template: string, @Param('locale') locale: string, @Body() dto: TenantTemplateDto) {
    const p = parse(template, locale);
    return this.templates.put(t.tenantId, p.template, p.locale, dto);
  }

  @Delete(':template/:locale')
  @HttpCode(204)
  async remove(@CurrentTenant() t: TenantPrincipal, @Param('template') template: string, @Param('locale') locale: string) {
    const p = parse(template, locale);
    await this.templates.remove(t.tenantId, p.template, p.locale);
  }
}
