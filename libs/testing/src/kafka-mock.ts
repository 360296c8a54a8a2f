/**
 * A Kafka-protocol test broker for tests and local runs: starts the
 * librdkafka mock-cluster launcher (infra/kafka-mock) as a child process and
 * drives it over its stdin protocol (infra/kafka-mock/README.md).
 *
 * Node built-ins only, so that any test or script can use it.
 *
 * As a script (`ts-node libs/testing/src/kafka-mock.ts [--brokers N]
 * [--manifest PATH]`) it starts a mock with the default manifest, prints
 * `BOOTSTRAP=...` and runs until SIGTERM/SIGINT.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

export interface KafkaMock {
  /** Comma-separated host:port list, for `bootstrap.servers`. */
  bootstrap: string;
  /** The same as a list, for kafkajs' `brokers`. */
  brokers: string[];
  /** Disconnects broker `id` (1-based; -1 = all) and refuses connections. No leader change. */
  brokerDown(id: number): Promise<void>;
  /** Lets broker `id` (1-based; -1 = all) accept connections again. */
  brokerUp(id: number): Promise<void>;
  /**
   * The next `errors.length` requests with this ApiKey (0 Produce, 1 Fetch,
   * 8 OffsetCommit, ...) fail, in order, with these Kafka error codes.
   */
  pushErrors(apiKey: number, errors: number[]): Promise<void>;
  /** Forgets the errors still pushed for this ApiKey. */
  clearErrors(apiKey: number): Promise<void>;
  /** Creates a topic (CreateTopics is not supported by the mock itself). */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Adds `ms` of round-trip delay to every answer of broker `id` (-1 = all). */
  setRtt(id: number, ms: number): Promise<void>;
  /** Moves a partition's leadership to broker `id` (-1 = leaderless). */
  setLeader(topic: string, partition: number, id: number): Promise<void>;
  /** Sends one raw protocol line; resolves on OK, rejects on ERR. */
  command(line: string): Promise<void>;
  /** Asks the mock to quit and waits for it (SIGKILL after 2 s). */
  stop(): Promise<void>;
  /** Settles when the mock process has exited, for whatever reason. */
  exited: Promise<void>;
}

export interface KafkaMockOptions {
  /** Topic manifest; default infra/kafka/topics.manifest. */
  manifest?: string;
  /** Number of brokers (ids 1..N); default 1. */
  brokers?: number;
  /** How long to wait for READY; default 15 s. */
  startTimeoutMs?: number;
}

/** The repository root: the nearest parent holding infra/kafka-mock/build.sh. */
function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'infra', 'kafka-mock', 'build.sh'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '../../..');
    dir = parent;
  }
}

export const REPO_ROOT = repoRoot();
export const DEFAULT_MANIFEST = path.join(REPO_ROOT, 'infra', 'kafka', 'topics.manifest');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'infra', 'kafka-mock', 'build.sh');

/** Builds the launcher when needed (see build.sh) and returns its path. */
export function buildKafkaMock(): string {
  const out = execFileSync('bash', [BUILD_SCRIPT], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  const bin = lines[lines.length - 1];
  if (!bin || !fs.existsSync(bin)) {
    throw new Error(`kafka-mock: build.sh printed no binary path (got ${JSON.stringify(out)})`);
  }
  return bin;
}

type Waiter = { resolve: (line: string) => void; reject: (err: Error) => void };

export async function startKafkaMock(opts: KafkaMockOptions = {}): Promise<KafkaMock> {
  const manifest = path.resolve(REPO_ROOT, opts.manifest ?? DEFAULT_MANIFEST);
  const brokerCount = opts.brokers ?? 1;
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  if (!Number.isInteger(brokerCount) || brokerCount < 1) {
    throw new Error(`kafka-mock: brokers must be a positive integer, got ${brokerCount}`);
  }
  const bin = buildKafkaMock();

  const child: ChildProcess = spawn(bin, ['--manifest', manifest, '--brokers', String(brokerCount)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdin = child.stdin!;
  // A write after the child died must not crash the test process.
  stdin.on('error', () => undefined);

  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    if (process.env.KAFKA_MOCK_DEBUG) process.stderr.write(`${line}\n`);
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  });

  let exited = false;
  let exitInfo = '';
  const exitPromise = new Promise<void>((resolve) => {
    // 'close' rather than 'exit': stdout/stderr are fully read by then.
    child.once('close', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    // Spawn failures (ENOENT, EACCES) emit 'error', maybe without 'close'.
    child.once('error', (err) => {
      if (exited) return;
      exited = true;
      exitInfo = err.message;
      resolve();
    });
  });
  const describeDeath = () =>
    new Error(`kafka-mock exited (${exitInfo})${stderrTail.length ? `: ${stderrTail.join('\n')}` : ''}`);

  // Kill the child if this process goes away without calling stop().
  const onProcessExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', onProcessExit);

  // Lines after READY are answers, matched FIFO with the waiters.
  const waiters: Waiter[] = [];
  let bootstrap = '';
  let ready = false;
  let onReady: (() => void) | undefined;
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!ready) {
      if (line.startsWith('BOOTSTRAP=')) bootstrap = line.slice('BOOTSTRAP='.length).trim();
      else if (line === 'READY') {
        ready = true;
        onReady?.();
      }
      return;
    }
    const w = waiters.shift();
    if (w) w.resolve(line);
  });
  void exitPromise.then(() => {
    process.removeListener('exit', onProcessExit);
    for (const w of waiters.splice(0)) w.reject(describeDeath());
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kafka-mock: not READY after ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    void exitPromise.then(() => {
      clearTimeout(timer);
      reject(describeDeath());
    });
  });
  if (!bootstrap) {
    child.kill('SIGKILL');
    throw new Error('kafka-mock: READY without BOOTSTRAP line');
  }

  // One command outstanding at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const command = (line: string): Promise<void> => {
    if (/[\r\n]/.test(line)) return Promise.reject(new Error('kafka-mock: command must be one line'));
    const run = () =>
      new Promise<void>((resolve, reject) => {
        if (exited) return reject(describeDeath());
        waiters.push({
          resolve: (answer) => {
            if (answer === 'OK') resolve();
            else reject(new Error(`kafka-mock: "${line}" -> ${answer}`));
          },
          reject,
        });
        stdin.write(`${line}\n`);
      });
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  const int = (name: string, v: number) => {
    if (!Number.isInteger(v)) throw new Error(`kafka-mock: ${name} must be an integer, got ${v}`);
    return v;
  };
  const word = (name: string, v: string) => {
    if (!/^\S+$/.test(v)) throw new Error(`kafka-mock: ${name} must be one word, got ${JSON.stringify(v)}`);
    return v;
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (exited) return;
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      command('quit').catch(() => undefined);
      stdin.end();
      await exitPromise;
      clearTimeout(killTimer);
    })();
    return stopping;
  };

  return {
    bootstrap,
    brokers: bootstrap.split(',').filter(Boolean),
    brokerDown: async (id) => command(`broker_down ${int('id', id)}`),
    brokerUp: async (id) => command(`broker_up ${int('id', id)}`),
    pushErrors: async (apiKey, errors) => {
      if (errors.length === 0) throw new Error('kafka-mock: pushErrors needs at least one error code');
      errors.forEach((e) => int('error code', e));
      return command(`push_errors ${int('apiKey', apiKey)} ${errors.length} ${errors.join(' ')}`);
    },
    clearErrors: async (apiKey) => command(`clear_errors ${int('apiKey', apiKey)}`),
    createTopic: async (name, partitions) =>
      command(`create_topic ${word('name', name)} ${int('partitions', partitions)}`),
    setRtt: async (id, ms) => command(`rtt ${int('id', id)} ${int('ms', ms)}`),
    setLeader: async (topic, partition, id) =>
      command(`set_leader ${word('topic', topic)} ${int('partition', partition)} ${int('id', id)}`),
    command,
    stop,
    exited: exitPromise,
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const brokers = Number(opt('--brokers') ?? process.env.KAFKA_MOCK_BROKERS ?? 1);
  const manifest = opt('--manifest') ?? process.env.KAFKA_MOCK_MANIFEST;
  startKafkaMock({ brokers, manifest }).then(
    (mock) => {
      process.stdout.write(`BOOTSTRAP=${mock.bootstrap}\n`);
      let done = false;
      const shutdown = () => {
        if (done) return;
        done = true;
        void mock.stop().then(() => process.exit(0));
      };
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
      process.on('SIGHUP', shutdown);
      void mock.exited.then(() => {
        if (done) return;
        process.stderr.write('kafka-mock: the mock broker exited unexpectedly\n');
        process.exit(1);
      });
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
