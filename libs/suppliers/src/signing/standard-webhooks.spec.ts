import { randomBytes } from 'node:crypto';
import * as fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { signedHeaders, verifyStandardWebhook } from './standard-webhooks';

type Headers = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

const secretArb = fc.integer({ min: 24, max: 64 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })).map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const bodyArb = fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 300 }));

interface Genuine {
  secrets: string[];
  signers: string[];
  id: string;
  body: string;
  at: Date;
  now: Date;
  headers: Headers;
}

/** A genuine signed request: 1–3 live secrets on our side, 1–2 of them signing; timestamp within the tolerance. */
const genuineArb = (nowArb: fc.Arbitrary<Date>, bodies: fc.Arbitrary<string> = bodyArb) =>
  fc.record({
    secrets: fc.uniqueArray(secretArb, { minLength: 1, maxLength: 3 }),
    id: idArb,
    body: bodies,
    now: nowArb,
    skew: fc.integer({ min: -299, max: 299 }),
    signerCount: fc.integer({ min: 1, max: 2 }),
  }).map(({ secrets, id, body, now, skew, signerCount }): Genuine => {
    const at = new Date(now.getTime() + skew * 1000);
    const signers = secrets.slice(0, signerCount);
    return { secrets, signers, id, body, at, now, headers: signedHeaders(signers, id, at, body) };
  });

const fixedNowArb = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });

/** One change an attacker could make; each is checked to actually differ from the original. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('body' as const), pos: fc.nat(), text: fc.string({ minLength: 1, maxLength: 3 }), op: fc.constantFrom('insert', 'replace', 'delete', 'append') }),
  fc.record({ kind: fc.constant('id' as const), id: idArb }),
  fc.record({ kind: fc.constant('timestamp' as const), delta: fc.integer({ min: -299, max: 299 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('timestamp-text' as const), form: fc.constantFrom('leading-zero', 'suffix', 'space', 'plus', 'float') }),
  fc.record({ kind: fc.constant('signature' as const), pos: fc.nat(), char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split('')) }),
  fc.record({ kind: fc.constant('signature-form' as const), form: fc.constantFrom('v2', 'truncate', 'empty', 'no-version', 'other-secret', 'drop-padding') }),
  fc.record({ kind: fc.constant('secret' as const), other: secretArb }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

interface Forged {
  headers: Headers;
  body: string;
  /** The verifier's secrets: the genuine ones, or an attacker's guess. */
  secrets: string[];
}

function mutate(g: Genuine, m: Mutation): Forged | undefined {
  const h = { ...g.headers };
  let body = g.body;
  let secrets = g.secrets;
  switch (m.kind) {
    case 'body': {
      const p = m.pos % (body.length + 1);
      if (m.op === 'insert') body = body.slice(0, p) + m.text + body.slice(p);
      if (m.op === 'replace') body = body.slice(0, p) + m.text + body.slice(p + m.text.length);
      if (m.op === 'delete') body = body.slice(0, p) + body.slice(p + m.text.length);
      if (m.op === 'append') body += m.text;
      break;
    }
    case 'id':
      h['webhook-id'] = m.id;
      break;
    case 'timestamp':
      h['webhook-timestamp'] = String(Number(h['webhook-timestamp']) + m.delta);
      break;
    case 'timestamp-text': {
      const t = h['webhook-timestamp'];
      h['webhook-timestamp'] = { 'leading-zero': `0${t}`, suffix: `${t}x`, space: ` ${t}`, plus: `+${t}`, float: `${t}.0` }[m.form];
      break;
    }
    case 'signature': {
      // Every signature in the header is altered: one untouched genuine signature would rightly still verify.
      const items = h['webhook-signature'].split(' ');
      const altered = items.map((sig) => {
        const p = 3 + (m.pos % (sig.length - 3));
        return sig.slice(0, p) + m.char + sig.slice(p + 1);
      });
      if (altered.some((a, i) => a === items[i])) return undefined;
      h['webhook-signature'] = altered.join(' ');
      break;
    }
    case 'signature-form': {
      const first = h['webhook-signature'].split(' ')[0];
      h['webhook-signature'] = {
        v2: first.replace(/^v1,/, 'v2,'),
        truncate: first.slice(0, -2),
        empty: 'v1,',
        'no-version': first.slice(3),
        'other-secret': signedHeaders([`whsec_${randomBytes(32).toString('base64')}`], g.id, g.at, g.body)['webhook-signature'],
        'drop-padding': first.replace(/=+$/, ''),
      }[m.form];
      break;
    }
    case 'secret':
      secrets = [m.other];
      break;
  }
  const unchanged = body === g.body && secrets === g.secrets && (Object.keys(h) as (keyof Headers)[]).every((k) => h[k] === g.headers[k]);
  return unchanged ? undefined : { headers: h, body, secrets };
}

describe('Standard Webhooks signing', () => {
  describe('our inbound verifier (supplier callbacks), property-based', () => {
    it('accepts every genuine request (0 of 3000 rejected)', () => {
      let rejected = 0;
      let runs = 0;
      fc.assert(fc.property(genuineArb(fixedNowArb), (g) => {
        runs++;
        const r = verifyStandardWebhook(g.headers, g.body, g.secrets, g.now);
        if (!r.ok) rejected++;
        return r.ok;
      }), { numRuns: 3000 });
      expect(runs).toBe(3000);
      expect(rejected).toBe(0);
    });

    it('accepts 0 of 6000 forgeries (mutated body, id, timestamp, signature, or the wrong secret)', () => {
      let accepted = 0;
      let checked = 0;
      const kinds = new Map<string, number>();
      fc.assert(fc.property(genuineArb(fixedNowArb), mutationArb, (g, m) => {
        const f = mutate(g, m);
        fc.pre(f !== undefined);
        checked++;
        kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
        const r = verifyStandardWebhook(f!.headers, f!.body, f!.secrets, g.now);
        if (r.ok) accepted++;
        return !r.ok;
      }), { numRuns: 6000 });
      expect(accepted).toBe(0);
      expect(checked).toBeGreaterThan(5000);
      expect([...kinds.keys()].sort()).toEqual(['body', 'id', 'secret', 'signature', 'signature-form', 'timestamp', 'timestamp-text']);
    });

    it('refuses a genuine signature outside the 5-minute tolerance, either way', () => {
      const now = new Date('2025-06-01T12:00:00Z');
      for (const skew of [-301, 301, -3600, 86_400]) {
        const at = new Date(now.getTime() + skew * 1000);
        const h = signedHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_1', at, '{}');
        expect(verifyStandardWebhook(h, '{}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
      }
    });

    it('names what is missing or malformed', () => {
      const now = new Date();
      const h = signedHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_1', now, '{}');
      expect(verifyStandardWebhook({}, '{}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: false, reason: 'missing_headers' });
      expect(verifyStandardWebhook({ ...h, 'webhook-id': 'a.b' }, '{}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: false, reason: 'bad_id' });
      expect(verifyStandardWebhook({ ...h, 'webhook-timestamp': 'soon' }, '{}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: false, reason: 'bad_timestamp' });
      expect(verifyStandardWebhook(h, '{"x":1}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(verifyStandardWebhook(h, '{}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now)).toMatchObject({ ok: true, id: 'msg_1' });
    });
  });

  describe('our outbound signatures, checked by the standardwebhooks and svix verifiers', () => {
    const realNow = fc.constant(null).map(() => new Date());

    it('every genuine delivery verifies with each secret that signed it (0 of 2000 rejected by either library)', () => {
      let rejected = 0;
      fc.assert(fc.property(genuineArb(realNow, fc.json()), (g) => {
        for (const secret of g.signers) {
          try {
            new StandardWebhook(secret).verify(g.body, g.headers, { jsonParse: false });
            new SvixWebhook(secret).verify(g.body, g.headers);
          } catch {
            rejected++;
          }
        }
      }), { numRuns: 2000 });
      expect(rejected).toBe(0);
    });

    it('standardwebhooks accepts 0 of 4000 mutated deliveries', () => {
      let accepted = 0;
      let checked = 0;
      const numericOnly = mutationArb.filter((m) => m.kind !== 'timestamp-text'); // the library parses with parseInt; we never send such headers
      fc.assert(fc.property(genuineArb(realNow, fc.json()), numericOnly, (g, m) => {
        const f = mutate(g, m);
        fc.pre(f !== undefined);
        checked++;
        for (const secret of f!.secrets) {
          try {
            new StandardWebhook(secret).verify(f!.body, f!.headers, { jsonParse: false });
            accepted++;
          } catch {
            // refused, as it must be
          }
        }
      }), { numRuns: 4000 });
      expect(accepted).toBe(0);
      expect(checked).toBeGreaterThan(3000);
    });
  });
});
