import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './build';

export const FIGURES_FILE = path.join(REPO, 'test-artifacts', 'faults', 'figures.json');

/**
 * Prints a fault test's figures (the CI log keeps them) and merges them into
 * test-artifacts/faults/figures.json, from which docs/reliability.md is updated.
 */
export function reportFigures(fault: string, figures: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  process.stdout.write(`\n[fault figures] ${fault}\n${lines.join('\n')}\n`);
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8'));
  } catch {
    // first figures of this checkout
  }
  all[fault] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(FIGURES_FILE, `${JSON.stringify(all, null, 2)}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile. */
export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
