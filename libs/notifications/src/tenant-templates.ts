import type { EntityManager } from 'typeorm';
import { Locales, NotificationTemplate, NotificationTemplates, type Locale } from '@app/contracts';
import { TEMPLATES } from './templates';

export interface TemplateText {
  subject: string;
  body: string;
}

/** Every message carries these (see baseVars in the sagas). */
export const BASE_TEMPLATE_VARIABLES = ['customerName', 'orderNumber', 'brand', 'items'] as const;

const TAG = /\{\{([^{}]*)\}\}/g;

/**
 * The variables a tenant's text for `template` may use: the ones every message
 * carries plus those the built-in texts use in any language (the sagas fill
 * exactly those), so the list cannot drift from what is really sent.
 */
export function templateVariables(template: NotificationTemplate): string[] {
  const vars = new Set<string>(BASE_TEMPLATE_VARIABLES);
  for (const locale of Locales) {
    const t = TEMPLATES[locale]?.[template];
    if (!t) continue;
    for (const text of [t.subject, t.body]) for (const m of text.matchAll(TAG)) vars.add(m[1].replace(/^[#^/]/, ''));
  }
  return [...vars].sort();
}

/**
 * Checks a tenant's text against what the renderer understands: `{{var}}`,
 * and one level of `{{#var}}…{{/var}}` / `{{^var}}…{{/var}}` sections, with
 * known variables only. Returns one problem per field, empty when fine.
 */
export function templateProblems(template: NotificationTemplate, text: TemplateText): { field: 'subject' | 'body'; message: string }[] {
  const known = new Set(templateVariables(template));
  const problems: { field: 'subject' | 'body'; message: string }[] = [];
  for (const field of ['subject', 'body'] as const) {
    const value = text[field];
    const issues: string[] = [];
    const open: string[] = [];
    for (const m of value.matchAll(TAG)) {
      const tag = /^([#^/]?)(\w+)$/.exec(m[1]);
      if (!tag) {
        issues.push(`malformed tag ${m[0]}`);
        continue;
      }
      const [, kind, name] = tag;
      if (!known.has(name)) issues.push(`unknown variable {{${name}}}`);
      if (kind === '#' || kind === '^') {
        if (open.length) issues.push(`section {{${kind}${name}}} inside {{#${open[open.length - 1]}}}: sections do not nest`);
        open.push(name);
      } else if (kind === '/') {
        if (open[open.length - 1] !== name) issues.push(`{{/${name}}} closes no open section`);
        else open.pop();
      }
    }
    for (const name of open) issues.push(`section {{#${name}}} is never closed`);
    // a lone "{{" or "}}" outside a tag would be sent to the customer as is
    const rest = value.replace(TAG, '');
    if (rest.includes('{{') || rest.includes('}}')) issues.push('unbalanced braces');
    if (issues.length) problems.push({ field, message: `${field}: ${[...new Set(issues)].join('; ')} (known: ${[...known].join(', ')})` });
  }
  return problems;
}

export const isNotificationTemplate = (v: string): v is NotificationTemplate => (NotificationTemplates as readonly string[]).includes(v);
export const isLocale = (v: string): v is Locale => (Locales as readonly string[]).includes(v);

/** The tenant's own text for a contact moment in a language, if it set one. */
export async function tenantTemplate(m: EntityManager, tenantId: string, template: NotificationTemplate, locale: Locale): Promise<TemplateText | undefined> {
  const [row] = await m.query(`SELECT subject, body FROM tenant_templates WHERE tenant_id = $1 AND template = $2 AND locale = $3`, [tenantId, template, locale]);
  return row ? { subject: row.subject, body: row.body } : undefined;
}
