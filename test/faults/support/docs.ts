/**
 * Copies the figures the last runs printed into the docs, between markers:
 * `bench` → bench/README.md (from bench/results/latest.txt and .json),
 * `faults` → docs/reliability.md (from test-artifacts/faults/figures.json).
 *
 *   npx ts-node -T test/faults/support/docs.ts bench|faults
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './build';
import { FIGURES_FILE } from './figures';

function replaceBetween(file: string, name: string, content: string): void {
  const start = `<!-- figures:${name}:start -->`;
  const end = `<!-- figures:${name}:end -->`;
  const text = fs.readFileSync(file, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file}: markers ${start} … ${end} not found`);
  fs.writeFileSync(file, `${text.slice(0, i + start.length)}\n${content.trim()}\n${text.slice(j)}`);
}

/** The default-mix figures and the DAMAGED-only comparison with the peers, each only when the last run made it. */
export function updateBenchDocs(): void {
  const results = path.join(REPO, 'bench', 'results');
  const json = JSON.parse(fs.readFileSync(path.join(results, 'latest.json'), 'utf8')) as { at: string };
  const parts: [string, string][] = [['bench', 'latest-default.txt'], ['versus', 'latest-versus.txt']];
  for (const [marker, file] of parts) {
    if (!fs.existsSync(path.join(results, file))) continue;
    const txt = fs.readFileSync(path.join(results, file), 'utf8');
    replaceBetween(path.join(REPO, 'bench', 'README.md'), marker, `Run of ${json.at} (\`npm run bench\`; its settings are printed below), as printed:\n\n\`\`\`text\n${txt.trim()}\n\`\`\``);
  }
}

export function updateFaultDocs(): void {
  const all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8')) as Record<string, Record<string, unknown>>;
  // By test number ("10. …" after "9. …").
  const sections = Object.keys(all).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b)).map((fault) => {
    const { at, ...figures } = all[fault];
    const rows = Object.entries(figures).map(([k, v]) => `| ${k} | ${typeof v === 'object' ? `\`${JSON.stringify(v)}\`` : String(v)} |`);
    return `#### ${fault}\n\n_Run of ${at}._\n\n| figure | value |\n|---|---|\n${rows.join('\n')}`;
  });
  replaceBetween(path.join(REPO, 'docs', 'reliability.md'), 'faults', sections.join('\n\n'));
}

if (require.main === module) {
  const what = process.argv[2];
  if (what === 'bench') updateBenchDocs();
  else if (what === 'faults') updateFaultDocs();
  else {
    process.stderr.write('usage: docs.ts bench|faults\n');
    process.exit(2);
  }
}
