import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { consoleCsp } from './console.controller';

describe('console CSP', () => {
  const html = readFileSync(join(__dirname, 'public', 'index.html'), 'utf8');
  const csp = consoleCsp(html);
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '))!;

  it("has no 'unsafe-inline' in script-src; the import map is allowed by its hash only", () => {
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${createHash('sha256').update(map).digest('base64')}'`);
  });

  it('the page has no other inline script and no inline event handlers', () => {
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].filter((m) => !/type="importmap"/.test(m[1]));
    expect(inline).toEqual([]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});
