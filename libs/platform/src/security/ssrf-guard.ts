import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import * as ipaddr from 'ipaddr.js';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (injectable so tests need no DNS). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Hosts and CIDRs exempt from the guard (WEBHOOK_ALLOW_HOSTS, for tests and
 * local runs). An entry matches the URL's host **as written** (compared
 * without case or a trailing dot), never what the host turns into: a name
 * entry matches that name, an IP entry that address written in its usual form
 * (`127.0.0.1`, `::1`), a CIDR entry an address so written inside it. So
 * `127.0.0.1` exempts `http://127.0.0.1/` but not `http://0x7f000001/` or
 * `http://2130706433/` (other spellings of it), nor `http://localhost/` (a
 * name resolving to it): those go through the guard like any other URL.
 */
export class AllowList {
  private constructor(private readonly hosts: Set<string>, private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][]) {}

  static parse(setting: string | undefined): AllowList {
    const hosts = new Set<string>();
    const cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
    for (const raw of (setting ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
      if (ipaddr.isValidCIDR(raw)) cidrs.push(ipaddr.parseCIDR(raw));
      else hosts.add(normalizeHost(raw));
    }
    return new AllowList(hosts, cidrs);
  }

  static readonly none = AllowList.parse('');

  get empty(): boolean {
    return this.hosts.size === 0 && this.cidrs.length === 0;
  }

  /** Does an entry name this host, as written in the URL (see `writtenHost`)? */
  allowsWritten(written: string): boolean {
    const host = normalizeHost(written);
    if (this.hosts.has(host)) return true;
    // A CIDR covers addresses written in their usual form only, not 0x7f000001, 0177.0.0.1 or 127.1.
    if (!this.cidrs.length || !ipaddr.isValid(host)) return false;
    const ip = ipaddr.parse(host);
    if (ip.toString() !== host) return false;
    return this.cidrs.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  }
}

/**
 * The host of an http(s) URL exactly as written (lower-cased, without
 * brackets or trailing dot), before WHATWG URL parsing rewrites it
 * (`0x7f000001` → `127.0.0.1`, full-width letters → ASCII). Undefined if there is none.
 */
export function writtenHost(raw: string): string | undefined {
  // The authority ends at the first / \ ? or # (a backslash counts as a slash in http(s) URLs).
  const m = /^\s*[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(raw);
  if (!m) return undefined;
  let authority = m[1];
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:[^:]*$/, '');
  return normalizeHost(host) || undefined;
}

const normalizeHost = (h: string) => h.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

// IANA global unicast for IPv6: anything outside it (e.g. IPv4-compatible ::a.b.c.d) is not a public host.
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Why an address may not be connected to, or undefined if it is a public
 * unicast address. The ranges come from ipaddr.js: loopback, private,
 * link-local, carrier-grade NAT, documentation and other reserved blocks,
 * multicast, broadcast, unspecified; for IPv6 also unique-local, IPv4-mapped
 * and the NAT64 / 6to4 / Teredo forms that embed an IPv4 address.
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `not an IP address: ${address}`;
  const ip = ipaddr.parse(address);
  const range = ip.range();
  if (range !== 'unicast') return `${address} is in the ${range} range`;
  if (ip.kind() === 'ipv6' && !ip.match(IPV6_GLOBAL_UNICAST)) return `${address} is not a global unicast address`;
  return undefined;
}

export class SsrfRefused extends Error {
  readonly code = 'SSRF_REFUSED';
  constructor(message: string) {
    super(`refused by SSRF guard: ${message}`);
    this.name = 'SsrfRefused';
  }
}

export interface ParsedTarget {
  url: URL;
  /** Host name without brackets or trailing dot. */
  host: string;
  /** The URL's host as written is on the allow-list: the guard does not apply. */
  allowed: boolean;
  /** Set when the host is an IP literal (in any of the forms WHATWG URL parsing normalises, e.g. 2130706433, 0x7f000001). */
  literal?: string;
}

/**
 * Checks what can be checked without DNS: an http(s) URL without credentials,
 * and, when the host is an IP literal, that the address is public. Throws SsrfRefused.
 */
export function checkUrl(raw: string, allow: AllowList = AllowList.none): ParsedTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfRefused('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SsrfRefused(`scheme ${url.protocol.replace(':', '')} is not allowed (http or https only)`);
  if (url.username || url.password) throw new SsrfRefused('credentials in the URL are not allowed');
  const host = normalizeHost(url.hostname);
  if (!host) throw new SsrfRefused('no host');
  const written = writtenHost(raw);
  const allowed = written !== undefined && allow.allowsWritten(written);
  const literal = ipaddr.isValid(host) ? ipaddr.parse(host).toString() : undefined;
  if (literal !== undefined && !allowed) {
    const reason = refusedAddressReason(literal);
    if (reason) throw new SsrfRefused(reason);
  }
  return { url, host, allowed, literal };
}

/**
 * Checks every address a host resolves to; refuses if any one is not public (a
 * name must not point inwards at all). The allow-list plays no part here: it
 * exempts hosts as written (checkUrl), never a name for what it resolves to.
 */
export function checkResolved(host: string, addresses: ResolvedAddress[]): void {
  if (!addresses.length) throw new SsrfRefused(`${host} has no addresses`);
  for (const a of addresses) {
    const reason = refusedAddressReason(a.address);
    if (reason) throw new SsrfRefused(`${host} resolves to ${reason}`);
  }
}

/**
 * The registration-time check: the URL's form, then (for a host name) every
 * address it resolves to now. The sender checks again at connect time, since
 * DNS can change after registration.
 */
export async function assertPublicUrl(raw: string, allow: AllowList = AllowList.none, resolve: HostResolver = systemResolver): Promise<URL> {
  const target = checkUrl(raw, allow);
  if (target.literal !== undefined || target.allowed) return target.url;
  await assertResolvesPublic(target.host, resolve);
  return target.url;
}

/** Every address `host` resolves to now is public; refuses a name that does not resolve. */
export async function assertResolvesPublic(host: string, resolve: HostResolver = systemResolver): Promise<void> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new SsrfRefused(`${host} does not resolve (${(err as { code?: string }).code ?? String(err)})`);
  }
  checkResolved(host, addresses);
}

/** Nest token for an injectable HostResolver (tests give names fake addresses). */
export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the socket: resolve once, check every address, and hand the
 * socket only checked addresses, so nothing can resolve the name a second
 * time and get a different answer (DNS rebinding).
 */
export function guardedLookup(exempt: boolean, resolve: HostResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    // 'host.' and 'host' are the same absolute name; resolve (and judge) one spelling.
    const host = hostname.replace(/\.$/, '').toLowerCase();
    void (async () => {
      const addresses = await resolve(host);
      // Exempt: the URL's host as written is on the allow-list (checkUrl decides, before any rewriting).
      if (!exempt) checkResolved(host, addresses);
      return addresses;
    })().then(
      (addresses) => {
        if (options.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err) => callback(err, options.all ? [] : ''),
    );
  };
}

