// Reads a topic from the beginning to its current end and answers the event ids (ce_id header) on
// it, with how often each occurs: the fault tests' view of what actually reached Kafka.
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from '@homeward/testing';

export async function eventIdsOnTopic(brokers: string, topic: string, timeoutMs = 30_000): Promise<Map<string, number>> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'faults-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, high]) => high > 0).map(([partition]) => partition));
  const seen = new Map<string, number>();
  if (pending.size === 0) return seen;
  const consumer = kafka.consumer({ groupId: uniqueName('faults-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const id = message.headers?.ce_id?.toString() ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
      if (Number(message.offset) + 1 >= ends.get(partition)!) pending.delete(partition);
      if (pending.size === 0) finished();
    },
  });
  const timer = setTimeout(finished, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}
