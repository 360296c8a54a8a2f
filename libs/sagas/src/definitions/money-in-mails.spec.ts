import type { Locale } from '@app/contracts';
import { render } from '@app/notifications';
import { damaged } from './damaged';
import { caseOf, SagaSim } from './spec-harness';

/**
 * The refund e-mail as the customer reads it, for currencies with 0, 2 and 3
 * minor-unit digits: the saga formats the amount, the notifications service
 * renders the template with it. Lines 2 × 1999 plus shipping 495 = 4493 minor units.
 */
describe('amounts in customer e-mails follow the currency', () => {
  const refundMail = (currency: string, locale: Locale) => {
    const sim = new SagaSim(damaged, { ...caseOf('DAMAGED', { tenant: { refundTiming: 'IMMEDIATE' }, deliveredDaysAgo: 2 }), currency, locale });
    sim.start();
    sim.refund('issued');
    return render('REFUND_ISSUED', locale, sim.mail('REFUND_ISSUED'));
  };

  it('JPY has no minor unit: 4493 is ¥4,493, not ¥44.93', () => {
    const mail = refundMail('JPY', 'en');
    expect(mail.subject).toBe('Acme: your refund of JP¥4,493 is on its way');
    expect(mail.body).toContain('We refunded JP¥4,493 for order gid://shopify/Order/1001.');
    expect(`${mail.subject}${mail.body}`).not.toMatch(/44[.,]93/);
  });

  it('JPY in Dutch and Danish', () => {
    expect(refundMail('JPY', 'nl').subject).toMatch(/van JP¥\s?4\.493 is onderweg$/);
    expect(refundMail('JPY', 'da').subject).toMatch(/på 4\.493\s?JP¥ er på vej$/);
  });

  it('EUR has two digits and KWD three', () => {
    expect(refundMail('EUR', 'en').subject).toBe('Acme: your refund of €44.93 is on its way');
    expect(refundMail('KWD', 'en').subject).toBe('Acme: your refund of KWD\u00a04.493 is on its way');
  });
});
