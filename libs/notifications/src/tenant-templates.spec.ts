import { Locales, NotificationTemplates } from '@app/contracts';
import { render, TEMPLATES } from './templates';
import { templateProblems, templateVariables } from './tenant-templates';

describe('tenant templates', () => {
  it('knows the variables each contact moment is sent with', () => {
    expect(templateVariables('CLAIM_RECEIVED')).toEqual(['brand', 'customerName', 'items', 'orderNumber']);
    expect(templateVariables('REFUND_ISSUED')).toEqual(expect.arrayContaining(['amount', 'brand', 'orderNumber']));
    expect(templateVariables('REPLACEMENT_SHIPPED')).toContain('trackingNumber');
    expect(templateVariables('CLAIM_RECEIVED')).not.toContain('amount');
  });

  it('every built-in text passes the same check a tenant text must pass', () => {
    for (const locale of Locales)
      for (const template of NotificationTemplates) {
        const t = TEMPLATES[locale][template];
        expect({ locale, template, problems: templateProblems(template, t) }).toEqual({ locale, template, problems: [] });
      }
  });

  it('accepts plain variables and one level of sections', () => {
    expect(templateProblems('REFUND_ISSUED', { subject: '{{brand}} – {{amount}} terug', body: 'Hoi {{customerName}}{{^customerName}}daar{{/customerName}}, {{#amount}}{{amount}}{{/amount}}' })).toEqual([]);
  });

  it('names each bad field with what is wrong', () => {
    const problems = templateProblems('CLAIM_RECEIVED', { subject: 'Refund {{amount}}', body: 'Hi {{ customerName }} {{#brand}}{{#items}}x{{/items}}{{/brand}} {{#orderNumber}} }}' });
    expect(problems.map((p) => p.field)).toEqual(['subject', 'body']);
    expect(problems[0].message).toContain('unknown variable {{amount}}');
    expect(problems[1].message).toContain('malformed tag {{ customerName }}');
    expect(problems[1].message).toContain('do not nest');
    expect(problems[1].message).toContain('never closed');
    expect(problems[1].message).toContain('unbalanced braces');
  });

  it('a close without an open is refused', () => {
    expect(templateProblems('CLAIM_RECEIVED', { subject: 'x', body: 'a {{/brand}}' })[0].message).toContain('closes no open section');
  });

  it('render uses the tenant text when given, with the same variable and section rules', () => {
    const out = render('CLAIM_RECEIVED', 'nl', { brand: 'Hygge', orderNumber: '#1001', customerName: '' }, { subject: '{{brand}} heeft {{orderNumber}}', body: 'Hallo{{#customerName}} {{customerName}}{{/customerName}}!' });
    expect(out).toEqual({ subject: 'Hygge heeft #1001', body: 'Hallo!' });
    expect(render('CLAIM_RECEIVED', 'nl', { brand: 'Hygge', orderNumber: '#1001', customerName: 'Sam', items: '1 × Vaas' }).subject).toBe('Hygge: we hebben je claim voor bestelling #1001 ontvangen');
  });
});
