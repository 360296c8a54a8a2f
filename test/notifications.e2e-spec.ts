import { answer, auth, DAY, linkSupplier, registerOrder, Tenant, waitForState, webhookFor, fieldsOf } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

/** Contact moments: the customer's language, the tenant's brand, sender and own texts, and the feedback request after closing. */
describe('Notifications: languages, tenant templates, feedback deadline', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function brandTenant(brandName: string, senderEmail: string, policy: Record<string, unknown> = {}): Promise<Tenant> {
    const res = await sys.http.post('/tenants', {
      name: `${brandName} ApS`, brandName, senderEmail, shopCurrency: 'EUR', store: { url: sys.shop.url, accessToken: sys.shop.accessToken },
      policy: { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', ...policy },
    });
    if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  }

  async function claim(t: Tenant, locale: string) {
    const supplier = await linkSupplier(sys, t, { evidenceRequiredFor: [] });
    const order = await registerOrder(sys, t, [supplier], { deliveredDaysAgo: 2, locale });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED' }, auth(t.apiKey));
    expect(res.status).toBe(202);
    return { supplier, order, returnId: res.data.returnId as string };
  }

  const mailTo = (email: string, subject: RegExp) => sys.smtp.waitFor((m) => m.to.includes(email) && subject.test(m.subject), 20_000);

  it('a Dutch order gets the Dutch claim-received text, a Danish one the Danish, from the tenant’s brand and sender', async () => {
    const tenant = await brandTenant('Hygge Hjem', 'hej@hygge.test');
    const nl = await claim(tenant, 'nl');
    const dutch = await mailTo(nl.order.customer.email, /claim/);
    expect(dutch.subject).toBe(`Hygge Hjem: we hebben je claim voor bestelling ${nl.order.externalId} ontvangen`);
    expect(dutch.text).toContain('Hoi Sam,');
    expect(dutch.text).toContain('2 × Ceramic vase');
    expect(dutch.from).toBe('hej@hygge.test');
    expect(dutch.fromText).toContain('Hygge Hjem');

    const da = await claim(tenant, 'da');
    const danish = await mailTo(da.order.customer.email, /reklamation/);
    expect(danish.subject).toBe(`Hygge Hjem: vi har modtaget din reklamation for ordre ${da.order.externalId}`);
    expect(danish.text).toContain('Hej Sam,');
    expect(danish.from).toBe('hej@hygge.test');
  });

  it('a tenant’s own text for a moment and language is used for its customers only; others keep the built-in text', async () => {
    const tenant = await brandTenant('Fiets & Co', 'klantenservice@fiets.test');
    const url = '/tenant/templates/CLAIM_RECEIVED/nl';
    const before = await sys.http.get(url, auth(tenant.apiKey));
    expect(before.status).toBe(200);
    expect(before.data).toMatchObject({ source: 'BUILT_IN', template: 'CLAIM_RECEIVED', locale: 'nl', version: 0 });
    expect(before.data.variables).toEqual(['brand', 'customerName', 'items', 'orderNumber']);

    const put = await sys.http.put(url, {
      subject: '{{brand}} – melding {{orderNumber}} ontvangen',
      body: 'Beste {{customerName}}{{^customerName}}klant{{/customerName}},\n\nBedankt voor je melding over {{items}}. Team {{brand}} regelt het.',
    }, auth(tenant.apiKey));
    expect(put.status).toBe(200);
    expect(put.data).toMatchObject({ source: 'TENANT', version: 1 });
    expect((await sys.http.get(url, auth(tenant.apiKey))).data).toMatchObject({ source: 'TENANT', subject: '{{brand}} – melding {{orderNumber}} ontvangen' });

    const nl = await claim(tenant, 'nl');
    const own = await mailTo(nl.order.customer.email, /melding/);
    expect(own.subject).toBe(`Fiets & Co – melding ${nl.order.externalId} ontvangen`);
    expect(own.text.trimEnd()).toBe('Beste Sam,\n\nBedankt voor je melding over 2 × Ceramic vase. Team Fiets & Co regelt het.');
    expect(own.from).toBe('klantenservice@fiets.test');
    const [row] = await sys.sql<{ subject: string }>(`SELECT subject FROM notifications WHERE return_id = $1 AND template = 'CLAIM_RECEIVED'`, [nl.returnId]);
    expect(row.subject).toBe(own.subject);

    // English customers of the same tenant: no English override, so the built-in text
    const en = await claim(tenant, 'en');
    expect((await mailTo(en.order.customer.email, /claim/)).subject).toBe(`Fiets & Co: we received your claim for order ${en.order.externalId}`);
    // Another tenant's Dutch customers never see it
    const other = await brandTenant('Ander', 'info@ander.test');
    const otherNl = await claim(other, 'nl');
    expect((await mailTo(otherNl.order.customer.email, /claim/)).subject).toBe(`Ander: we hebben je claim voor bestelling ${otherNl.order.externalId} ontvangen`);
    expect((await sys.http.get(url, auth(other.apiKey))).data.source).toBe('BUILT_IN');

    // a second version, then back to the built-in text
    expect((await sys.http.put(url, { subject: '{{brand}}: ontvangen', body: 'Dank je, {{customerName}}.' }, auth(tenant.apiKey))).data.version).toBe(2);
    expect((await sys.http.delete(url, auth(tenant.apiKey))).status).toBe(204);
    expect((await sys.http.get(url, auth(tenant.apiKey))).data.source).toBe('BUILT_IN');
    expect((await sys.http.delete(url, auth(tenant.apiKey))).status).toBe(404);
  });

  it('refuses texts with unknown variables or broken tags, and unknown moments or languages, with 400 naming the field', async () => {
    const tenant = await brandTenant('Strikt', 'info@strikt.test');
    const bad = await sys.http.put('/tenant/templates/CLAIM_RECEIVED/en', { subject: 'Refund {{amount}}', body: 'Hi {{ customerName }} {{#brand}}' }, auth(tenant.apiKey));
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.data)).toEqual(['subject', 'body']);
    expect(bad.data.errors.map((e: { message: string }) => e.message).join(' ')).toContain('unknown variable {{amount}}');
    expect(bad.data.errors.map((e: { message: string }) => e.message).join(' ')).toContain('malformed tag {{ customerName }}');
    // amount is known where it is sent
    expect((await sys.http.put('/tenant/templates/REFUND_ISSUED/en', { subject: '{{brand}}: {{amount}} back', body: 'Done.' }, auth(tenant.apiKey))).status).toBe(200);

    const missing = await sys.http.put('/tenant/templates/CLAIM_RECEIVED/en', { subject: 'a\r\nBcc: x@evil.test' }, auth(tenant.apiKey));
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.data)).toEqual(expect.arrayContaining(['subject', 'body']));
    const unknown = await sys.http.put('/tenant/templates/BIRTHDAY/fr', { subject: 'x', body: 'y' }, auth(tenant.apiKey));
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.data)).toEqual(['template', 'locale']);
    expect(fieldsOf((await sys.http.get('/tenant/templates/CLAIM_RECEIVED/fr', auth(tenant.apiKey))).data)).toEqual(['locale']);
    const rows = await sys.sql<{ template: string }>(`SELECT template FROM tenant_templates WHERE tenant_id = $1`, [tenant.tenantId]);
    expect(rows.map((r) => r.template)).toEqual(['REFUND_ISSUED']);
  });

  it('each e-mail carries the case’s language (Content-Language) and a Message-ID derived from its notification', async () => {
    const tenant = await brandTenant('Hygge Hjem', 'hej@hygge.test');
    const c = await claim(tenant, 'da');
    const mail = await mailTo(c.order.customer.email, /reklamation/);
    const [n] = await sys.sql<{ id: string }>(`SELECT id FROM notifications WHERE return_id = $1 AND template = 'CLAIM_RECEIVED'`, [c.returnId]);
    expect(mail.headers['content-language']).toBe('da');
    expect(mail.messageId).toBe(`<${n.id}@hygge.test>`);
  });

  it('a resend after a crash between the SMTP accept and recording it is the same message (same Message-ID)', async () => {
    const tenant = await brandTenant('Fiets & Co', 'klantenservice@fiets.test');
    const c = await claim(tenant, 'nl');
    const copies = () => sys.smtp.messages.filter((m) => m.to.includes(c.order.customer.email) && /claim/.test(m.subject));
    await mailTo(c.order.customer.email, /claim/);
    const [n] = await sys.sql<{ id: string }>(`SELECT id FROM notifications WHERE return_id = $1 AND template = 'CLAIM_RECEIVED'`, [c.returnId]);
    await waitFor(async () => (await sys.sql<{ status: string }>(`SELECT status FROM tasks WHERE queue = 'email' AND dedupe_key = $1`, [n.id]))[0]?.status === 'DONE');
    // What a crash right after the accept leaves behind: the e-mail not recorded as sent, its task claimed by nobody.
    await sys.sql(`UPDATE notifications SET status = 'PENDING', sent_at = NULL WHERE id = $1`, [n.id]);
    await sys.sql(`UPDATE tasks SET status = 'PENDING', lease_until = NULL, run_at = now() WHERE queue = 'email' AND dedupe_key = $1`, [n.id]);
    await sys.runDueTasks();
    await waitFor(() => copies().length === 2, { timeoutMs: 20_000, message: 'the resend' });
    expect(copies().map((m) => m.messageId)).toEqual([`<${n.id}@fiets.test>`, `<${n.id}@fiets.test>`]);
    expect(copies().map((m) => m.headers['content-language'])).toEqual(['nl', 'nl']);
  });

  // Moves the shared clock by days: keep it last, later webhooks would carry stale timestamps.
  it('the feedback request is a persisted deadline: sent once, feedbackAfterDays after closing, in the customer’s language', async () => {
    const tenant = await brandTenant('Hygge Hjem', 'hej@hygge.test', { feedbackAfterDays: 3 });
    const c = await claim(tenant, 'nl');
    const { payload } = await webhookFor(sys, c.order.externalId);
    await answer(sys, c.supplier, payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, c.returnId, 'COMPLETED');
    await mailTo(c.order.customer.email, /terugbetaling/);

    const feedbackMails = () => sys.smtp.messages.filter((m) => m.to.includes(c.order.customer.email) && /hoe hebben we het gedaan/.test(m.subject));
    const [timer] = await sys.sql<{ run_at: Date; status: string }>(`SELECT run_at, status FROM tasks WHERE queue = 'saga-timer' AND dedupe_key = $1`, [`${done.saga.id}:FEEDBACK`]);
    expect(timer.status).toBe('PENDING');
    expect(Math.round((new Date(timer.run_at).getTime() - new Date(done.saga.closedAt).getTime()) / DAY)).toBe(3);

    // two days later: not yet
    sys.clock.advance(2 * DAY);
    await sys.runDueTasks();
    expect(feedbackMails()).toHaveLength(0);

    // past the deadline: exactly one, however often the deadlines run afterwards
    sys.clock.advance(DAY + 60_000);
    await sys.runDueTasks();
    const mail = await waitFor(() => feedbackMails()[0], { timeoutMs: 20_000, message: 'feedback e-mail' });
    expect(mail.subject).toBe('Hygge Hjem: hoe hebben we het gedaan?');
    expect(mail.from).toBe('hej@hygge.test');
    sys.clock.advance(5 * DAY);
    await sys.runDueTasks();
    await waitFor(async () => {
      const [t] = await sys.sql<{ status: string }>(`SELECT status FROM tasks WHERE queue = 'saga-timer' AND dedupe_key = $1`, [`${done.saga.id}:FEEDBACK`]);
      return t.status === 'DONE';
    });
    expect(feedbackMails()).toHaveLength(1);
    const rows = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE return_id = $1 AND template = 'FEEDBACK_REQUEST' AND status = 'SENT'`, [c.returnId]);
    expect(Number(rows[0].n)).toBe(1);
  });
});
