import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { CurrencyCodes, minorUnitDigits } from '@app/contracts';
import { notFound, Public } from '@app/platform';

/** Walks up from here to the first folder holding `rel` (works from src/ under ts-node/jest and from dist/). */
function findUp(rel: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) throw new Error(`${rel} not found above ${__dirname}`);
  }
}

/** The page's own files. */
const PAGE_FILES: Record<string, string> = { 'app.js': 'application/javascript', 'money.js': 'application/javascript', 'console.css': 'text/css' };
/** Third-party browser code, served from node_modules: nothing is loaded from a CDN. */
const VENDOR: Record<string, [pkgFile: string, type: string]> = {
  'preact.mjs': ['node_modules/preact/dist/preact.mjs', 'application/javascript'],
  'hooks.mjs': ['node_modules/preact/hooks/dist/hooks.mjs', 'application/javascript'],
  'htm.mjs': ['node_modules/htm/dist/htm.mjs', 'application/javascript'],
  'chart.umd.min.js': ['node_modules/chart.js/dist/chart.umd.min.js', 'application/javascript'],
};

/**
 * The page may talk to this origin only; a CDN reference would be refused by
 * the browser. No inline script runs but the page's import map, allowed by
 * its hash (computed from index.html, so editing the map keeps it working).
 */
export function consoleCsp(indexHtml: string): string {
  const maps = [...indexHtml.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  return `default-src 'self'; script-src 'self' ${maps.join(' ')}; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`.replace(/  +/g, ' ');
}

/** The ops console page at /console. Public: the page itself asks for the ops key and sends it as a Bearer token. */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  // Beside this file (src/, or dist/ where the build copies it), else the source tree.
  private readonly publicDir = existsSync(join(__dirname, 'public')) ? join(__dirname, 'public') : findUp(join('apps', 'api', 'src', 'web', 'public'));
  private readonly csp = consoleCsp(readFileSync(join(this.publicDir, 'index.html'), 'utf8'));

  @Get()
  index(@Res() res: Response): void {
    this.send(res, join(this.publicDir, 'index.html'), 'text/html; charset=utf-8', 'no-cache');
  }

  /** ISO 4217 minor-unit digits of every currency ({ "EUR": 2, "JPY": 0, "KWD": 3, … }), for the page's money formatting. */
  @Get('currencies.json')
  currencies(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.json(Object.fromEntries(CurrencyCodes.map((c) => [c, minorUnitDigits(c)])));
  }

  @Get('vendor/:file')
  vendor(@Param('file') file: string, @Res() res: Response): void {
    const v = VENDOR[file];
    if (!v) throw notFound('file');
    this.send(res, findUp(v[0]), `${v[1]}; charset=utf-8`, 'public, max-age=86400');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const type = PAGE_FILES[file];
    if (!type) throw notFound('file');
    this.send(res, join(this.publicDir, file), `${type}; charset=utf-8`, 'no-cache');
  }

  private send(res: Response, path: string, type: string, cache: string): void {
    res.setHeader('Content-Security-Policy', this.csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', cache);
    res.type(type).sendFile(path);
  }
}
