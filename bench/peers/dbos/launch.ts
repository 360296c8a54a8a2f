import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { cpuSecondsOf, freePort } from '../../../test/faults/support/processes';

const REPO = path.resolve(__dirname, '..', '..', '..');

export interface DbosPeer {
  url: string;
  pid: number;
  logFile: string;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Starts the DBOS peer (peer.ts) as its own OS process on `databaseUrl`, so its
 * CPU can be read from /proc like each of our services', and waits until it serves HTTP.
 */
export async function startDbosPeer(opts: { databaseUrl: string; smtpPort: number; logFile: string; env?: Record<string, string> }): Promise<DbosPeer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register', 'bench/peers/dbos/peer.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: 'true',
      DATABASE_URL: opts.databaseUrl,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      PUBLIC_API_URL: url,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(opts.smtpPort),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...opts.env,
    },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-30).join('\n');
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 1_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body.includes('"peer":"dbos"')));
        res.on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => (req.destroy(), resolve(false)));
    });
  let cpuAtExit = 0;
  const peer: DbosPeer = {
    url,
    pid: child.pid!,
    logFile: opts.logFile,
    cpuSeconds: () => (child.exitCode === null && child.signalCode === null ? cpuSecondsOf(child.pid!) : cpuAtExit),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      cpuAtExit = cpuSecondsOf(child.pid!);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the DBOS peer exited during start-up; see ${opts.logFile}\n${tail()}`);
    if (await answers()) return peer;
    if (Date.now() > deadline) {
      await peer.stop();
      throw new Error(`the DBOS peer is not listening after 90 s; see ${opts.logFile}\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
