import { AllowList, assertPublicUrl, checkResolved, checkUrl, refusedAddressReason, SsrfRefused, writtenHost } from './ssrf-guard';
import { fakeResolver, ssrfCases } from './ssrf.fixtures';

describe('SSRF guard', () => {
  const cases = ssrfCases(8080);

  it('has a table of 30+ refused URLs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.why, c.url]))('refuses %s: %s', async (_why, url) => {
    await expect(assertPublicUrl(url, AllowList.none, fakeResolver)).rejects.toBeInstanceOf(SsrfRefused);
  });

  it.each([
    ['https://hooks.supplier.example/webhooks', '93.184.215.14'],
    ['http://8.8.8.8/x', undefined],
    ['https://[2606:4700:4700::1111]/hook', undefined],
    ['https://public.supplier.test/hook', undefined],
  ])('accepts a public target: %s', async (url, resolvesTo) => {
    const resolve = async () => [{ address: resolvesTo ?? '93.184.215.14', family: 4 as const }];
    await expect(assertPublicUrl(url, AllowList.none, url.includes('supplier.test') ? fakeResolver : resolve)).resolves.toBeInstanceOf(URL);
  });

  it('names why: the range from ipaddr.js', () => {
    expect(refusedAddressReason('10.0.0.1')).toMatch(/private/);
    expect(refusedAddressReason('100.64.1.1')).toMatch(/carrierGradeNat/);
    expect(refusedAddressReason('::ffff:8.8.8.8')).toMatch(/ipv4Mapped/);
    expect(refusedAddressReason('::7f00:1')).toMatch(/not a global unicast/);
    expect(refusedAddressReason('8.8.8.8')).toBeUndefined();
    expect(refusedAddressReason('2606:4700::1')).toBeUndefined();
  });

  it('decodes numeric host forms before judging them (WHATWG URL parsing)', () => {
    expect(checkUrl('http://93.184.215.14/').literal).toBe('93.184.215.14');
    expect(() => checkUrl('http://2130706433/')).toThrow(/127\.0\.0\.1 is in the loopback range/);
    expect(() => checkUrl('http://0x7f000001/')).toThrow(/loopback/);
  });

  it('refuses a name whose addresses include one inward-pointing address', () => {
    expect(() => checkResolved('x.test', [{ address: '93.184.215.14', family: 4 }, { address: '192.168.0.9', family: 4 }])).toThrow(/private/);
    expect(() => checkResolved('x.test', [])).toThrow(/no addresses/);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(assertPublicUrl('https://nowhere.test/', AllowList.none, async () => { throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' }); }))
      .rejects.toThrow(/does not resolve \(ENOTFOUND\)/);
  });

  describe('allow-list (WEBHOOK_ALLOW_HOSTS)', () => {
    const allow = AllowList.parse(' 127.0.0.1, localhost ,10.9.0.0/16 ');

    it('exempts listed hosts, addresses and CIDRs only', async () => {
      await expect(assertPublicUrl('http://127.0.0.1:9/', allow, fakeResolver)).resolves.toBeInstanceOf(URL);
      await expect(assertPublicUrl('http://localhost:9/', allow, fakeResolver)).resolves.toBeInstanceOf(URL);
      await expect(assertPublicUrl('http://10.9.3.4/', allow, fakeResolver)).resolves.toBeInstanceOf(URL);
      await expect(assertPublicUrl('http://10.8.3.4/', allow, fakeResolver)).rejects.toThrow(/private/);
      await expect(assertPublicUrl('http://127.0.0.2/', allow, fakeResolver)).rejects.toThrow(/loopback/);
      await expect(assertPublicUrl('http://[::1]/', allow, fakeResolver)).rejects.toThrow(/loopback/);
    });

    it('matches the host as written in the URL, not another spelling of it nor a name resolving to it', async () => {
      const only = AllowList.parse('127.0.0.1');
      await expect(assertPublicUrl('http://127.0.0.1:9/', only, fakeResolver)).resolves.toBeInstanceOf(URL);
      for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://localhost/', 'http://rebind.supplier.test/'])
        await expect(assertPublicUrl(url, only, fakeResolver)).rejects.toThrow(SsrfRefused);
      // A name entry: that name (any case, trailing dot), not its full-width spelling that URL parsing folds into it.
      const named = AllowList.parse('localhost');
      await expect(assertPublicUrl('http://LocalHost.:9/', named, fakeResolver)).resolves.toBeInstanceOf(URL);
      await expect(assertPublicUrl('http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/', named, fakeResolver)).rejects.toThrow(/loopback/);
      await expect(assertPublicUrl('http://127.0.0.1/', named, fakeResolver)).rejects.toThrow(/loopback/);
      // A CIDR entry: addresses written in their usual form inside it.
      const net = AllowList.parse('10.9.0.0/16');
      await expect(assertPublicUrl('http://10.9.3.4/', net, fakeResolver)).resolves.toBeInstanceOf(URL);
      await expect(assertPublicUrl('http://0x0a090304/', net, fakeResolver)).rejects.toThrow(/private/);
    });

    it('reads the host as written, before URL parsing rewrites it', () => {
      expect(writtenHost('http://0x7f000001:8080/x')).toBe('0x7f000001');
      expect(writtenHost('HTTP://User:pw@LocalHost.:80/')).toBe('localhost');
      expect(writtenHost('http://[::1]:80/')).toBe('::1');
      expect(writtenHost('http://a.test\\@127.0.0.1/')).toBe('a.test');
      expect(new URL('http://a.test\\@127.0.0.1/').hostname).toBe('a.test');
      expect(writtenHost('not a url')).toBeUndefined();
    });

    it('never exempts an IPv4-mapped IPv6 spelling of an allowed IPv4 address', async () => {
      await expect(assertPublicUrl('http://[::ffff:127.0.0.1]/', allow, fakeResolver)).rejects.toThrow(/ipv4Mapped/);
    });

    it('never exempts non-http schemes', async () => {
      await expect(assertPublicUrl('ftp://127.0.0.1/', allow, fakeResolver)).rejects.toThrow(/scheme ftp/);
    });

    it('is empty when unset', () => {
      expect(AllowList.parse(undefined).empty).toBe(true);
      expect(allow.empty).toBe(false);
    });
  });
});
