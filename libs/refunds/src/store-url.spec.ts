import { AllowList, SsrfRefused } from '@app/platform';
import { assertStoreUrl, checkStoreUrl } from './store-url';

describe('store URL policy', () => {
  const none = AllowList.none;
  const publicDns = async () => [{ address: '23.227.38.65', family: 4 as const }];

  it.each([
    ['http://127.0.0.1:8080', /loopback/],
    ['https://169.254.169.254', /linkLocal/],
    ['https://[::1]', /loopback/],
    ['https://0x7f000001', /loopback/],
    ['http://acme.myshopify.com', /https/],
    ['https://acme.example.com', /myshopify\.com, not acme\.example\.com/],
    ['https://myshopify.com', /myshopify\.com/],
    ['https://acme.myshopify.com.evil.test', /myshopify\.com/],
    ['https://acme.myshopify.com:8443', /port/],
    ['https://acme.myshopify.com/admin', /origin only/],
    ['https://user:pw@acme.myshopify.com', /credentials/],
    ['https://8.8.8.8', /myshopify/],
  ])('refuses %s', (url, why) => {
    expect(() => checkStoreUrl(url, none)).toThrow(why);
  });

  it('accepts https://<shop>.myshopify.com that resolves to public addresses', async () => {
    await expect(assertStoreUrl('https://Acme-Store.myshopify.com/', none, publicDns)).resolves.toMatchObject({ host: 'acme-store.myshopify.com', allowListed: false });
  });

  it('refuses a myshopify name that resolves inwards (checked after DNS)', async () => {
    const inward = async () => [{ address: '10.0.0.7', family: 4 as const }];
    await expect(assertStoreUrl('https://acme.myshopify.com', none, inward)).rejects.toThrow(/resolves to 10\.0\.0\.7 is in the private range/);
  });

  it('the allow-list exempts hosts as written in the URL, never by resolved address', async () => {
    const allow = AllowList.parse('127.0.0.1,localhost');
    expect(checkStoreUrl('http://127.0.0.1:4010', allow).allowListed).toBe(true);
    expect(checkStoreUrl('http://localhost:4010', allow).allowListed).toBe(true);
    expect(() => checkStoreUrl('http://127.0.0.2:4010', allow)).toThrow(SsrfRefused);
    // rebind.supplier.test resolves to 127.0.0.1, which is listed: still refused (not https myshopify)
    expect(() => checkStoreUrl('http://rebind.supplier.test:4010', allow)).toThrow(/https/);
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 as const }];
    await expect(assertStoreUrl('https://acme.myshopify.com', allow, rebinding)).rejects.toThrow(/loopback/);
  });
});
