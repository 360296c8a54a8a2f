/**
 * Guards patches/kafkajs+2.2.4.patch (applied by `npm ci` through patch-package):
 * kafkajs 2.2.4's send() kept one acknowledgement per broker and, on a retry,
 * sent only to brokers without one. When a partition's leader moved to a broker
 * that had already acknowledged its own partitions, that partition was never
 * sent again and send() resolved: messages lost (tulios/kafkajs#1303, found
 * here by the leader-kill fault test on a 3-node cluster). This drives the real
 * kafkajs send path with an in-memory cluster that moves a leader mid-send.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const createSendMessages = require('kafkajs/src/producer/sendMessages');
const createRetry = require('kafkajs/src/retry');
const { KafkaJSProtocolError } = require('kafkajs/src/errors');
const { createErrorFromCode } = require('kafkajs/src/protocol/error');

type TopicData = { topic: string; partitions: { partition: number; messages: unknown[] }[] }[];

function world() {
  // partition 0 led by broker 1, partition 1 by broker 2; broker 1 dies, partition 0 moves to broker 2.
  let leaders: Record<number, number> = { 0: 1, 1: 2 };
  const written: { broker: number; partition: number; n: number }[] = [];
  const broker = (nodeId: number) => ({
    nodeId,
    produce: async ({ topicData }: { topicData: TopicData }) => {
      const parts = topicData.flatMap((t) => t.partitions);
      if (nodeId === 1) {
        leaders = { 0: 2, 1: 2 }; // the controller moved the leadership while we were sending
        throw new KafkaJSProtocolError(createErrorFromCode(6)); // NOT_LEADER_OR_FOLLOWER, retriable
      }
      for (const p of parts) written.push({ broker: nodeId, partition: p.partition, n: p.messages.length });
      return { topics: topicData.map((t) => ({ topicName: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })) })) };
    },
  });
  const brokers: Record<number, ReturnType<typeof broker>> = { 1: broker(1), 2: broker(2) };
  const meta = () => [0, 1].map((partitionId) => ({ partitionId, leader: leaders[partitionId] }));
  const cluster = {
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => undefined,
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => meta(),
    findLeaderForPartitions: (_t: string, partitions: string[]) =>
      partitions.reduce<Record<number, number[]>>((acc, p) => {
        const l = leaders[Number(p)];
        (acc[l] ??= []).push(Number(p));
        return acc;
      }, {}),
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers[Number(nodeId)],
  };
  const eosManager = {
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    isTransactional: () => false,
    getSequence: () => 0,
    updateSequence: () => undefined,
    getProducerId: () => -1,
    getProducerEpoch: () => 0,
  };
  const logger = { debug: () => undefined, error: () => undefined, info: () => undefined, warn: () => undefined };
  const send = createSendMessages({
    logger,
    cluster,
    partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    eosManager,
    retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
  });
  return { send, written };
}

describe('kafkajs send on a leader change (patched)', () => {
  it('sends a partition whose leader moved to a broker that already answered', async () => {
    const { send, written } = world();
    const responses = await send({
      acks: -1,
      timeout: 1000,
      topicMessages: [{ topic: 't', messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] }],
    });
    // Both partitions written once, both acknowledged.
    expect(written.map((w) => w.partition).sort()).toEqual([0, 1]);
    expect(responses.map((r: { partition: number }) => r.partition).sort()).toEqual([0, 1]);
  });
});
