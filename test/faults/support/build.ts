import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const REPO = path.resolve(__dirname, '../../..');
/** Where the services are transpiled to (git-ignored). */
export const PROC_BUILD = path.join(REPO, '.run', 'proc-build');

const SOURCES = ['apps', 'libs'];
const SKIP = /\.(spec|e2e-spec)\.ts$|\.d\.ts$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, out);
    } else if (e.name.endsWith('.ts') && !SKIP.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * Transpiles apps/ and libs/ file by file (no type check, like ts-node's
 * transpile-only, but ahead of time), so each service process starts from
 * plain JavaScript in about a second and a SIGKILLed one comes back quickly.
 * Only files newer than their output are redone; a run takes ~1 s when all are.
 * Run `npx tsc --noEmit` for types.
 */
export function ensureProcBuild(): string {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    isolatedModules: true,
    sourceMap: false,
  };
  const live = new Set<string>();
  for (const root of SOURCES) {
    for (const src of walk(path.join(REPO, root))) {
      const rel = path.relative(REPO, src);
      const out = path.join(PROC_BUILD, rel.replace(/\.ts$/, '.js'));
      live.add(out);
      const srcTime = fs.statSync(src).mtimeMs;
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcTime) continue;
      const { outputText } = ts.transpileModule(fs.readFileSync(src, 'utf8'), { compilerOptions, fileName: src });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, outputText);
      fs.renameSync(tmp, out); // atomic: a parallel build never leaves half a file
    }
  }
  // Sources deleted since the last build must not linger as modules.
  for (const root of SOURCES) {
    const dir = path.join(PROC_BUILD, root);
    if (!fs.existsSync(dir)) continue;
    for (const out of walkJs(dir)) if (!live.has(out)) fs.rmSync(out, { force: true });
  }
  fs.writeFileSync(path.join(PROC_BUILD, 'register-paths.js'), REGISTER_PATHS);
  return PROC_BUILD;
}

// `@app/<lib>` -> <build>/libs/<lib>/src, as tsconfig's paths say for the sources.
const REGISTER_PATHS = `const Module = require('module');
const path = require('path');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@app\\/([a-z-]+)$/.exec(request);
  return original.call(this, m ? path.join(__dirname, 'libs', m[1], 'src') : request, ...rest);
};
`;

function walkJs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkJs(p, out);
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

/** `node` arguments that run one service from the transpiled tree, resolving `@app/*` there. */
export function serviceArgs(service: string): { args: string[]; env: Record<string, string> } {
  return {
    args: ['-r', path.join(PROC_BUILD, 'register-paths.js'), path.join(PROC_BUILD, 'apps', service, 'src', 'main.js')],
    env: {},
  };
}

if (require.main === module) {
  const t = Date.now();
  process.stdout.write(`${ensureProcBuild()} (${Date.now() - t} ms)\n`);
}
