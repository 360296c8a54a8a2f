#!/usr/bin/env node
/**
 * Creates the topics of infra/kafka/topics.manifest through Kafka's admin API
 * (CreateTopics, CreatePartitions, AlterConfigs), and can be run
 * again: an existing topic gets more partitions or its min.insync.replicas set
 * if the manifest asks for them, never fewer.
 *
 * The one topic script: kafka.sh runs it for local runs, tests and the bench,
 * and docker-compose's kafka-init step runs it in the app image.
 *
 *   node infra/kafka/create-topics.js --brokers host:port[,...] [--expect-brokers N] [--manifest PATH] [--wait-only]
 *
 * --wait-only creates nothing: it waits until N brokers are registered and every
 * manifest topic's partitions have a leader (kafka.sh uses it after restarting a node).
 *
 * Replication factor and min.insync.replicas are the manifest's, capped by the
 * cluster's size: a one-node cluster gets 1 and 1, three nodes get 3 and 2.
 * Plain JavaScript with kafkajs only, so it runs wherever the services run.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');

function args(argv) {
  const out = { manifest: process.env.TOPIC_MANIFEST || path.join(__dirname, 'topics.manifest'), expectBrokers: 1, brokers: process.env.KAFKA_BROKERS, waitOnly: false };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--wait-only') {
      out.waitOnly = true;
      i--;
    } else if (argv[i] === '--brokers') out.brokers = argv[i + 1];
    else if (argv[i] === '--expect-brokers') out.expectBrokers = Number(argv[i + 1]);
    else if (argv[i] === '--manifest') out.manifest = argv[i + 1];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!out.brokers) throw new Error('--brokers (or KAFKA_BROKERS) is required');
  return out;
}

/** `name partitions replication min_insync` per line; `#` starts a comment. */
function readManifest(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((l, n) => {
      const [name, partitions, replication = '1', minInsync = '1'] = l.split(/\s+/);
      const spec = { name, partitions: Number(partitions), replication: Number(replication), minInsync: Number(minInsync) };
      if (![spec.partitions, spec.replication, spec.minInsync].every((x) => Number.isInteger(x) && x > 0)) throw new Error(`${file}: bad line ${n + 1}: ${l}`);
      return spec;
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const opts = args(process.argv.slice(2));
  const topics = readManifest(opts.manifest);
  const kafka = new Kafka({ clientId: 'create-topics', brokers: opts.brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
  const admin = kafka.admin();
  const deadline = Date.now() + 90_000;
  // Until every node has registered with the controller: a topic made earlier would get fewer replicas.
  for (;;) {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length >= opts.expectBrokers && cluster.controller != null && cluster.controller >= 0) break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`fewer than ${opts.expectBrokers} brokers registered after 90 s`);
    await sleep(200);
  }
  const size = (await admin.describeCluster()).brokers.length;
  const want = topics.map((t) => {
    const replication = Math.min(t.replication, size);
    return { ...t, replication, minInsync: Math.min(t.minInsync, replication) };
  });

  const existing = new Set(await admin.listTopics());
  const missing = opts.waitOnly ? [] : want.filter((t) => !existing.has(t.name));
  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replication,
        configEntries: [{ name: 'min.insync.replicas', value: String(t.minInsync) }],
      })),
    });
  }
  const present = want.filter((t) => existing.has(t.name));
  if (present.length && !opts.waitOnly) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
    const grow = present.filter((t) => meta.topics.find((m) => m.name === t.name).partitions.length < t.partitions);
    if (grow.length) await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })) });
    // ConfigResourceTypes.TOPIC = 2
    await admin.alterConfigs({ validateOnly: false, resources: present.map((t) => ({ type: 2, name: t.name, configEntries: [{ name: 'min.insync.replicas', value: String(t.minInsync) }] })) });
  }
  // Every partition has a leader before anyone produces.
  const names = want.map((t) => t.name).filter((n) => !opts.waitOnly || existing.has(n));
  for (;;) {
    const meta = await admin.fetchTopicMetadata({ topics: names }).catch(() => ({ topics: [{ partitions: [{ leader: -1 }] }] }));
    if (meta.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) break;
    if (Date.now() > deadline) throw new Error('some partitions have no leader after 90 s');
    await sleep(200);
  }
  await admin.disconnect();
  if (opts.waitOnly) return console.error(`cluster of ${size} ready: every partition has a leader`);
  console.error(`topics: ${missing.length} created, ${present.length} already there (replication ${Math.min(...want.map((t) => t.replication))}, cluster of ${size})`);
}

main().catch((err) => {
  console.error(`create-topics: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
