/**
 * SmtpSink: a real SMTP server (smtp-server) on 127.0.0.1, random port, plain text (no STARTTLS),
 * authentication optional (any credentials accepted, the username is recorded). Every accepted
 * message is parsed with mailparser's simpleParser and kept in `messages`.
 *
 * `failNext(n)` makes the next n DATA transactions fail with a 451 temporary error (the message is
 * consumed but not recorded), so clients' retry paths can be exercised.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { waitFor } from './wait-for';

export interface SinkMessage {
  /** Address of the From header (e.g. `returns@shop.test`), '' if absent. */
  from: string;
  /** Full From header text (e.g. `"Shop" <returns@shop.test>`). */
  fromText: string;
  /** Addresses of the To header. */
  to: string[];
  /** Addresses of the Cc header. */
  cc: string[];
  subject: string;
  /** Plain-text body ('' if none). */
  text: string;
  /** HTML body ('' if none). */
  html: string;
  /** Lower-cased header names → unfolded raw value; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw RFC 5322 message as received. */
  raw: string;
  /** SMTP envelope (MAIL FROM / RCPT TO) — includes Bcc recipients. */
  envelope: { from: string; to: string[] };
  attachments: { filename?: string; contentType: string; size: number }[];
  /** Username given with AUTH, if the client authenticated. */
  authUser?: string;
  messageId?: string;
  receivedAt: Date;
}

export interface SmtpSinkFailure {
  /** SMTP reply code. Default 451. */
  code?: number;
  message?: string;
}

function addresses(obj: AddressObject | AddressObject[] | undefined): string[] {
  if (!obj) return [];
  const list = Array.isArray(obj) ? obj : [obj];
  const out: string[] = [];
  const walk = (entries: EmailAddress[]): void => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** Number of DATA transactions rejected by `failNext`. */
  rejectedCount = 0;

  private server: SMTPServer | undefined;
  private _port: number | undefined;
  private failures: Required<SmtpSinkFailure>[] = [];
  private readonly pendingParses = new Set<Promise<void>>();

  /** Listens on 127.0.0.1, on `port` (0 = any free port). */
  async start(port = 0): Promise<this> {
    if (this.server) return this;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 200,
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? auth.method }),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this._port = (server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.pendingParses]);
  }

  get port(): number {
    if (this._port === undefined) throw new Error('SmtpSink not started');
    return this._port;
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** The next `n` messages are rejected at end of DATA with a temporary error (default 451). */
  failNext(n: number, failure: SmtpSinkFailure = {}): void {
    const f = {
      code: failure.code ?? 451,
      message: failure.message ?? '4.3.0 Temporary failure, please try again later',
    };
    for (let i = 0; i < n; i++) this.failures.push(f);
  }

  /** Resolves with the first (already received or future) message matching `predicate`. */
  waitFor(predicate: (m: SinkMessage) => boolean = () => true, timeoutMs = 5000): Promise<SinkMessage> {
    return waitFor(() => this.messages.find(predicate), {
      timeoutMs,
      intervalMs: 20,
      message: `SmtpSink: no matching message (have ${this.messages.length}: ${this.messages
        .map((m) => JSON.stringify(m.subject))
        .join(', ')})`,
    });
  }

  /** Resolves once at least `n` messages have been received. */
  waitForCount(n: number, timeoutMs = 5000): Promise<SinkMessage[]> {
    return waitFor(() => (this.messages.length >= n ? this.messages.slice() : undefined), {
      timeoutMs,
      intervalMs: 20,
      message: `SmtpSink: expected ${n} messages, have ${this.messages.length}`,
    });
  }

  clear(): void {
    this.messages.length = 0;
    this.failures = [];
    this.rejectedCount = 0;
  }

  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    cb: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e: Error) => cb(e));
    stream.on('end', () => {
      const failure = this.failures.shift();
      if (failure) {
        this.rejectedCount++;
        const err = Object.assign(new Error(failure.message), { responseCode: failure.code });
        return cb(err);
      }
      const raw = Buffer.concat(chunks);
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      const authUser: unknown = session.user;
      // Parse before acknowledging so that `messages` is populated when the client's send resolves.
      const p = simpleParser(raw)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const { key, line } of parsed.headerLines) {
            const idx = line.indexOf(':');
            const value = (idx >= 0 ? line.slice(idx + 1) : line).replace(/\r?\n[ \t]+/g, ' ').trim();
            const k = key.toLowerCase();
            headers[k] = headers[k] !== undefined ? `${headers[k]}, ${value}` : value;
          }
          this.messages.push({
            from: addresses(parsed.from)[0] ?? '',
            fromText: parsed.from?.text ?? '',
            to: addresses(parsed.to),
            cc: addresses(parsed.cc),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers,
            raw: raw.toString('utf8'),
            envelope,
            attachments: parsed.attachments.map((a) => ({
              ...(a.filename !== undefined ? { filename: a.filename } : {}),
              contentType: a.contentType,
              size: a.size,
            })),
            ...(typeof authUser === 'string' ? { authUser } : {}),
            ...(parsed.messageId !== undefined ? { messageId: parsed.messageId } : {}),
            receivedAt: new Date(),
          });
          cb(null, 'OK: message queued');
        })
        .catch((e: unknown) => cb(e instanceof Error ? e : new Error(String(e))))
        .finally(() => this.pendingParses.delete(p));
      this.pendingParses.add(p);
    });
  }
}
