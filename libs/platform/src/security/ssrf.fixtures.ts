import type { HostResolver, ResolvedAddress } from './ssrf-guard';
import { systemResolver } from './ssrf-guard';

/** Test fixtures: URLs the SSRF guard must refuse, and a resolver with names that point inwards. */

/** Host names and what they "resolve" to in tests (DNS rebinding, internal names) — no network needed. */
export const FAKE_DNS: Record<string, ResolvedAddress[]> = {
  'rebind.supplier.test': [{ address: '127.0.0.1', family: 4 }],
  'mixed.supplier.test': [{ address: '93.184.215.14', family: 4 }, { address: '127.0.0.1', family: 4 }],
  'internal.supplier.test': [{ address: '10.1.2.3', family: 4 }],
  'v6local.supplier.test': [{ address: '::1', family: 6 }],
  'mapped.supplier.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'metadata.supplier.test': [{ address: '169.254.169.254', family: 4 }],
  'public.supplier.test': [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
};

/** Fake names from FAKE_DNS; anything else (e.g. `localhost`) through the system resolver. */
export const fakeResolver: HostResolver = async (host) => {
  const known = FAKE_DNS[host.toLowerCase().replace(/\.$/, '')];
  return known ?? systemResolver(host);
};

export interface SsrfCase {
  url: string;
  why: string;
  /** Would reach a dual-stack server listening on [::]:port of this machine if the guard let it through. */
  loopback?: boolean;
}

/** 40+ URLs that must never be fetched, in the disguises attackers use. `P` is the port. */
export function ssrfCases(P: number): SsrfCase[] {
  return [
    { url: `http://127.0.0.1:${P}/`, why: 'loopback', loopback: true },
    { url: `https://127.0.0.1:${P}/`, why: 'loopback over https', loopback: true },
    { url: `http://127.0.0.2:${P}/`, why: 'loopback range', loopback: true },
    { url: `http://localhost:${P}/`, why: 'name resolving to loopback', loopback: true },
    { url: `http://LOCALHOST.:${P}/`, why: 'loopback name, upper case, trailing dot', loopback: true },
    { url: `http://2130706433:${P}/`, why: 'decimal IPv4 (127.0.0.1)', loopback: true },
    { url: `http://0x7f000001:${P}/`, why: 'hex IPv4 (127.0.0.1)', loopback: true },
    { url: `http://0177.0.0.1:${P}/`, why: 'octal IPv4 (127.0.0.1)', loopback: true },
    { url: `http://0x7f.0.0.1:${P}/`, why: 'hex first octet', loopback: true },
    { url: `http://127.1:${P}/`, why: 'short IPv4 form', loopback: true },
    { url: `http://0.0.0.0:${P}/`, why: 'unspecified (reaches local services on Linux)', loopback: true },
    { url: `http://0:${P}/`, why: 'unspecified, short form', loopback: true },
    { url: `http://[::1]:${P}/`, why: 'IPv6 loopback', loopback: true },
    { url: `http://[::]:${P}/`, why: 'IPv6 unspecified', loopback: true },
    { url: `http://[::ffff:127.0.0.1]:${P}/`, why: 'IPv4-mapped IPv6 loopback', loopback: true },
    { url: `http://[0:0:0:0:0:ffff:7f00:1]:${P}/`, why: 'IPv4-mapped IPv6, long hex form', loopback: true },
    { url: `http://rebind.supplier.test:${P}/`, why: 'public-looking name resolving to 127.0.0.1', loopback: true },
    { url: `http://mixed.supplier.test:${P}/`, why: 'name with one public and one loopback address' },
    { url: `http://v6local.supplier.test:${P}/`, why: 'name resolving to ::1', loopback: true },
    { url: `http://mapped.supplier.test:${P}/`, why: 'name resolving to ::ffff:127.0.0.1', loopback: true },
    { url: `http://[::ffff:a9fe:a9fe]:${P}/`, why: 'IPv4-mapped cloud metadata' },
    { url: `http://[::ffff:0:7f00:1]:${P}/`, why: 'IPv4-translated (RFC 6145)' },
    { url: `http://[64:ff9b::7f00:1]:${P}/`, why: 'NAT64 of 127.0.0.1' },
    { url: `http://[::7f00:1]:${P}/`, why: 'IPv4-compatible IPv6 (deprecated)' },
    { url: `http://[2002:7f00:1::1]:${P}/`, why: '6to4 of 127.0.0.1' },
    { url: `http://10.0.0.1:${P}/`, why: 'private 10/8' },
    { url: `http://172.16.5.4:${P}/`, why: 'private 172.16/12' },
    { url: `http://192.168.1.1:${P}/`, why: 'private 192.168/16' },
    { url: `http://169.254.169.254:${P}/latest/meta-data/`, why: 'link-local (cloud metadata)' },
    { url: `http://metadata.supplier.test:${P}/`, why: 'name resolving to the metadata address' },
    { url: `http://internal.supplier.test:${P}/`, why: 'name resolving to a private address' },
    { url: `http://100.64.0.1:${P}/`, why: 'carrier-grade NAT' },
    { url: `http://192.0.2.10:${P}/`, why: 'documentation (TEST-NET-1)' },
    { url: `http://198.51.100.7:${P}/`, why: 'documentation (TEST-NET-2)' },
    { url: `http://203.0.113.9:${P}/`, why: 'documentation (TEST-NET-3)' },
    { url: `http://198.18.0.1:${P}/`, why: 'benchmarking' },
    { url: `http://240.0.0.1:${P}/`, why: 'reserved 240/4' },
    { url: `http://224.0.0.1:${P}/`, why: 'multicast' },
    { url: `http://255.255.255.255:${P}/`, why: 'broadcast' },
    { url: `http://[fe80::1]:${P}/`, why: 'IPv6 link-local' },
    { url: `http://[fc00::1]:${P}/`, why: 'IPv6 unique-local' },
    { url: `http://[ff02::1]:${P}/`, why: 'IPv6 multicast' },
    { url: `http://[2001:db8::1]:${P}/`, why: 'IPv6 documentation' },
    { url: `ftp://127.0.0.1:${P}/`, why: 'ftp scheme' },
    { url: `gopher://127.0.0.1:${P}/`, why: 'gopher scheme' },
    { url: 'file:///etc/passwd', why: 'file scheme' },
    { url: `http://user:secret@public.supplier.test:${P}/`, why: 'credentials in the URL' },
  ];
}
