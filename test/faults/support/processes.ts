import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { ensureProcBuild, REPO, serviceArgs } from './build';

export type ServiceName = 'api' | 'orchestrator' | 'suppliers' | 'refunds' | 'notifications';
export const SERVICES: ServiceName[] = ['api', 'orchestrator', 'suppliers', 'refunds', 'notifications'];

const CLK_TCK = 100; // Linux USER_HZ

/**
 * A free TCP port on 127.0.0.1 below the kernel's ephemeral range (32768+), so
 * an outgoing connection cannot take it between this check and the service's listen.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** utime + stime of a live process, in seconds (from /proc/<pid>/stat). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // fields 14 and 15 of stat(5)
  } catch {
    return 0;
  }
}

export interface ExitRecord {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/**
 * One service instance as a real OS process (`node` on the transpiled tree),
 * so SIGKILL is a real crash and CPU can be read per service. Output goes to a
 * log file; the instance can be killed and started again on the same port.
 */
export class ServiceProcess {
  child?: ChildProcess;
  readonly exits: ExitRecord[] = [];
  starts = 0;
  /** CPU seconds of earlier (dead) incarnations. */
  private cpuBefore = 0;
  private exited?: Promise<ExitRecord>;

  constructor(
    readonly service: ServiceName,
    readonly instance: number,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly logFile: string,
    /** Extra `node` flags, e.g. --cpu-prof. */
    private readonly nodeArgs: string[] = [],
  ) {}

  get id(): string {
    return `${this.service}-${this.instance}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.id} is already running`);
    const { args, env } = serviceArgs(this.service);
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const fd = fs.openSync(this.logFile, 'a');
    fs.writeSync(fd, `\n--- start #${this.starts + 1} of ${this.id} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [...this.nodeArgs, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env, ...this.env, HTTP_PORT: String(this.port), HTTP_HOST: '127.0.0.1' },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const rec = { code, signal, at: Date.now() };
        this.exits.push(rec);
        resolve(rec);
      });
    });
  }

  /** Resolves once the service answers HTTP (it is listening: migrations done, consumers starting). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.id} exited during start-up (${JSON.stringify(this.exits.at(-1))}); see ${this.logFile}\n${this.tail()}`);
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.id} not listening on ${this.port} after ${timeoutMs} ms; see ${this.logFile}\n${this.tail()}`);
  }

  /** True when this service (not some other process on the port) serves its metrics. */
  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path: '/metrics', timeout: 1_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body.includes(`service="${this.service}"`)));
        res.on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
    });
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 10_000): Promise<ExitRecord | undefined> {
    if (!this.running) return this.exits.at(-1);
    this.cpuBefore += cpuSecondsOf(this.child!.pid!);
    this.child!.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    const rec = await this.exited!;
    if (timer) clearTimeout(timer);
    return rec;
  }

  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    this.start();
    await this.waitReady();
  }

  /** CPU seconds used by every incarnation so far. */
  cpuSeconds(): number {
    return this.cpuBefore + (this.running ? cpuSecondsOf(this.child!.pid!) : 0);
  }

  tail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

export { ensureProcBuild };
