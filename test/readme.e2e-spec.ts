/**
 * The README's "Using it" walkthrough, run as written against `npm run
 * start:local` (on free ports, its own database and log folder), so the README
 * cannot drift from the system. Then stopping: SIGTERM to the npm process, or
 * Ctrl-C to the terminal's process group, stops every process of the run, the
 * services before the broker (no error lines in their logs).
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import axios from 'axios';

const ROOT = path.resolve(__dirname, '..');
jest.setTimeout(300_000);

/** The bash block after the `readme-walkthrough` marker in README.md. */
export function readmeWalkthrough(readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')): string {
  const m = /<!-- readme-walkthrough[^>]*-->\s*```bash\n([\s\S]*?)\n```/.exec(readme);
  if (!m) throw new Error('README.md has no readme-walkthrough bash block');
  return m[1];
}

/** The runbook's command that follows one case through the logs. */
function runbookLogCommand(): string {
  const m = /<!-- runbook-logs[^>]*-->\s*```bash\n([\s\S]*?)\n```/.exec(fs.readFileSync(path.join(ROOT, 'docs', 'runbook.md'), 'utf8'));
  if (!m) throw new Error('docs/runbook.md has no runbook-logs bash block');
  return m[1];
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A base port with `count` free ports after it (the services take consecutive ones). */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('no free ports');
}

function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, parent] of rows) if (parent === p) { out.push(child); queue.push(child); }
  }
  return out;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

interface LocalRun {
  npm: ChildProcess;
  output: () => string;
  api: string;
  world: string;
  logRoot: string;
  kafkaDir: string;
  db: string;
}

async function startLocal(): Promise<LocalRun> {
  const base = await freePorts(11);
  const db = `readme_${process.pid}_${Date.now() % 100000}`;
  const logRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-logs-'));
  const kafkaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-kafka-'));
  const env = {
    ...process.env, API_PORT: String(base), DEMO_SHOP_PORT: String(base + 5), DEMO_SMTP_PORT: String(base + 6),
    DEMO_SUPPLIER_PORT: String(base + 7), DEMO_CONTROL_PORT: String(base + 8), DB_NAME: db, RUN_LOG_ROOT: logRoot,
    KAFKA_PORT: String(base + 9), KAFKA_DIR: kafkaDir, // base + 10: its controller
  };
  // detached: its own process group, as a terminal would give it (Ctrl-C goes to the whole group)
  const npm = spawn('npm', ['run', 'start:local'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  const run = { npm, output: () => out, api: `http://127.0.0.1:${base}`, world: `http://127.0.0.1:${base + 8}`, logRoot, kafkaDir, db };
  const deadline = Date.now() + 240_000;
  while (!out.includes('Running. Ctrl-C to stop.')) {
    if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`start:local did not come up:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return run;
}

/** Stops the run with `signal` (to npm alone, or to its whole group like Ctrl-C) and checks nothing of it is left. */
async function stopAndCheck(run: LocalRun, how: 'SIGTERM to npm' | 'Ctrl-C') {
  const pids = descendants(run.npm.pid!);
  expect(pids.length).toBeGreaterThanOrEqual(12); // sh, bash, world, five services and their log pipes
  // the broker runs detached (kafka.sh daemonises it): stopping must still stop it
  const kafkaPid = Number(fs.readFileSync(path.join(run.kafkaDir, 'node-1', 'pid'), 'utf8'));
  expect(alive(kafkaPid)).toBe(true);
  pids.push(kafkaPid);
  const exited = new Promise<void>((r) => (run.npm.exitCode !== null ? r() : run.npm.once('exit', () => r())));
  const stoppedAt = new Date().toISOString();
  if (how === 'SIGTERM to npm') process.kill(run.npm.pid!, 'SIGTERM');
  else process.kill(-run.npm.pid!, 'SIGINT');
  await exited;
  const deadline = Date.now() + 30_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const left = pids.filter(alive);
  if (left.length) execFileSync('ps', ['-o', 'pid,pgid,cmd', '-p', left.join(',')], { stdio: 'inherit' });
  expect(left).toEqual([]);

  const latest = path.join(run.logRoot, 'latest');
  expect(fs.lstatSync(latest).isSymbolicLink()).toBe(true);
  const files = fs.readdirSync(latest).filter((f) => f.endsWith('.log')).sort();
  expect(files).toEqual(['api.log', 'kafka.log', 'notifications.log', 'orchestrator.log', 'refunds.log', 'suppliers.log', 'world.log']);
  for (const f of files) {
    const lines = fs.readFileSync(path.join(latest, f), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    // the runbook's jq commands need every line to be JSON
    const parsed = lines.map((l) => { try { return JSON.parse(l); } catch { throw new Error(`${f}: not a JSON line: ${l}`); } });
    // a service stopped after the broker logs connection errors (a fresh broker's start-up hiccups, e.g.
    // "the coordinator is loading", are kafkajs retrying and not what this is about)
    const errors = parsed.filter((l) => l.level >= 50 && l.time >= stoppedAt);
    expect({ file: f, errors }).toEqual({ file: f, errors: [] });
  }
}

function dropDatabase(db: string) {
  spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]);
}

describe('README walkthrough against npm run start:local', () => {
  let run: LocalRun | undefined;
  afterEach(async () => {
    // a test that failed half-way: stop the run the ordinary way, then kill whatever is left of it
    if (run && run.npm.exitCode === null) {
      const left = descendants(run.npm.pid!);
      const exited = new Promise<void>((r) => run!.npm.once('exit', () => r()));
      try { process.kill(run.npm.pid!, 'SIGTERM'); } catch { /* exiting already */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      for (const pid of [run.npm.pid!, ...left].filter(alive)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    if (run) {
      spawnSync('bash', [path.join(ROOT, 'infra', 'kafka', 'kafka.sh'), 'stop', '--dir', run.kafkaDir]); // if a test failed half-way
      dropDatabase(run.db);
      for (const dir of [run.logRoot, run.kafkaDir]) fs.rmSync(dir, { recursive: true, force: true });
    }
    run = undefined;
  });

  it('runs the "Using it" block as written to a COMPLETED return; SIGTERM to npm stops everything', async () => {
    run = await startLocal();

    // a first call without a key says where keys come from
    const anonymous = await axios.get(`${run.api}/returns/00000000-0000-4000-8000-000000000000`, { validateStatus: () => true });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.data)).toMatch(/POST \/tenants/);

    const res = spawnSync('bash', ['-euo', 'pipefail', '-c', readmeWalkthrough()], {
      env: { ...process.env, API: run.api, WORLD: run.world }, encoding: 'utf8', timeout: 120_000,
    });
    if (res.status !== 0) throw new Error(`README block failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
    expect(res.stdout).toMatch(/"state": "COMPLETED"/);
    expect(res.stdout).toMatch(/"refundedMinor": 2990/);

    // the runbook's jq command follows that return through the services' logs, as written
    const returnId = /return ([0-9a-f-]{36}): COMPLETED/.exec(res.stdout)![1];
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-'));
    fs.mkdirSync(path.join(cwd, '.run'));
    fs.symlinkSync(run.logRoot, path.join(cwd, '.run', 'logs'));
    const jq = spawnSync('bash', ['-euo', 'pipefail', '-c', runbookLogCommand().replace('<return id>', returnId)], { cwd, encoding: 'utf8' });
    fs.rmSync(cwd, { recursive: true, force: true });
    if (jq.status !== 0) throw new Error(`runbook command failed: ${jq.stderr}`);
    const services = new Set(jq.stdout.trim().split('\n').map((l) => JSON.parse(l).service));
    expect([...services].sort()).toEqual(expect.arrayContaining(['notifications', 'orchestrator', 'refunds', 'suppliers']));

    await stopAndCheck(run, 'SIGTERM to npm');
  });

  it('Ctrl-C stops every process, services before the broker', async () => {
    run = await startLocal();
    await stopAndCheck(run, 'Ctrl-C');
  });
});
