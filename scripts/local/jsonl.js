#!/usr/bin/env node
/**
 * Log line normaliser for local runs: `cmd 2>&1 | node scripts/local/jsonl.js <service>`.
 * JSON lines pass through untouched; any other line (a broker's plain text, a
 * crash's stack trace) becomes a pino-shaped JSON line, so every file under
 * .run/logs/ can be read with jq. Ignores SIGINT/SIGTERM and ends at EOF, so
 * the last lines of a stopping process are still written.
 */
'use strict';
const readline = require('node:readline');

const service = process.argv[2] || 'unknown';
const LOG4J = { TRACE: 10, DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50, FATAL: 60 };
let last = 30;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => {});

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  if (line.startsWith('{')) {
    try {
      JSON.parse(line);
      process.stdout.write(line + '\n');
      return;
    } catch {
      // not JSON after all: wrapped below
    }
  }
  // Kafka's log4j layout: "[2026-12-07 17:45:01,123] INFO message (logger)"
  const log4j = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) (.*)$/.exec(line);
  if (log4j) {
    const [, day, clock, ms, level, msg] = log4j;
    const time = new Date(`${day}T${clock}.${ms}`); // the broker logs local time
    last = LOG4J[level];
    process.stdout.write(JSON.stringify({ level: last, time: time.toISOString(), service, msg }) + '\n');
    return;
  }
  // an indented line continues the one before (a config dump, a stack trace): same level
  const level = /^\s/.test(line) ? last : /\b(error|fatal|exception|fail(ed|ure)?)\b/i.test(line) ? 50 : /\bwarn(ing)?\b/i.test(line) ? 40 : 30;
  last = level;
  process.stdout.write(JSON.stringify({ level, time: new Date().toISOString(), service, msg: line }) + '\n');
});
rl.on('close', () => process.exit(0));
