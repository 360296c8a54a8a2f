import { AllowList, assertResolvesPublic, checkUrl, HostResolver, ParsedTarget, SsrfRefused, systemResolver } from '@app/platform';

/**
 * Where a tenant's store token may go. A Shopify store is
 * `https://<shop>.myshopify.com` (no port, path, credentials), and every
 * address the name resolves to must be public (the SSRF guard shared with
 * supplier URLs). STORE_ALLOW_HOSTS (tests and local runs only) names hosts,
 * as written in the URL, that are exempt: the fake Shopify on loopback. An
 * entry never exempts a name by what it resolves to.
 */
export interface StoreTarget extends ParsedTarget {
  /** The host is on STORE_ALLOW_HOSTS: no Shopify-form or address checks. */
  allowListed: boolean;
}

const MYSHOPIFY = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;

/** Checks the URL's form (no DNS). Throws SsrfRefused naming why. */
export function checkStoreUrl(raw: string, allow: AllowList): StoreTarget {
  const form = checkUrl(raw, allow); // http(s), no credentials, a literal address only if public or listed
  const allowListed = form.allowed; // the host as written is listed (never another spelling, never by what it resolves to)
  if (allowListed) return { ...form, allowListed };
  const { url } = form;
  if (url.protocol !== 'https:') throw new SsrfRefused('a store URL must use https');
  if (!MYSHOPIFY.test(form.host)) throw new SsrfRefused(`a store URL must be https://<shop>.myshopify.com, not ${form.host}`);
  if (url.port) throw new SsrfRefused('a store URL must not name a port');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw new SsrfRefused('a store URL is the shop origin only, without path or query');
  return { ...form, allowListed };
}

/** Registration: the form, then every address the shop's name resolves to now (refunds checks again at connect time). */
export async function assertStoreUrl(raw: string, allow: AllowList, resolve: HostResolver = systemResolver): Promise<StoreTarget> {
  const target = checkStoreUrl(raw, allow);
  if (target.allowListed || target.literal !== undefined) return target;
  await assertResolvesPublic(target.host, resolve);
  return target;
}
