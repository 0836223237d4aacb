// Kafka SIGKILLed under a steady command load through the gateway, and started again a little
// later: commands keep being accepted while it is down (they only need PostgreSQL: the events wait
// in the outbox), and afterwards every accepted command's events are in every read model exactly
// once. The broker is the test's own; the shared one is never touched. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from '../support/system.js';
import { accepted, startLoad } from './command-load.js';
import { awaitDelivery, halfAppliedCommands, summary, undelivered } from './delivery.js';
import { startOwnBroker, type OwnBroker } from './own-broker.js';
import { eventIdsOnTopic } from './topic-contents.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults: Kafka killed under load', () => {
  let broker: OwnBroker;
  let system: System;

  beforeAll(async () => {
    broker = await startOwnBroker();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      brokers: broker.brokers,
      prefix: 'hw_faults',
      env: { NOTIFICATIONS_SIDE_EFFECTS: 'off' },
    });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await broker?.remove(system?.logDir);
  });

  it('accepts commands while Kafka is down and delivers every accepted event exactly once after it is back', async () => {
    const load = startLoad(system, { workers: 4, pauseMs: 40, label: 'kafka-kill' });
    let killedAt = 0;
    let backAt = 0;
    try {
      await sleep(4_000);
      await broker.kill();
      killedAt = Date.now();
      await sleep(4_000); // and as long again as the broker takes to start
      await broker.start();
      backAt = Date.now();
      await sleep(3_000);
    } finally {
      await load.stop();
    }
    const { outcomes } = load;

    const ok = outcomes.filter(accepted);
    const whileDown = ok.filter((o) => o.startedAt >= killedAt && o.endedAt <= backAt).length;
    const refused = outcomes.length - ok.length;
    const delivery = await awaitDelivery(system, outcomes, 60_000).catch(async (error: Error) => {
      const lost = await undelivered(system, outcomes);
      const topics = {
        intake: await eventIdsOnTopic(broker.brokers, `${system.prefix}.homeward.intake.events.v1`),
        documents: await eventIdsOnTopic(broker.brokers, `${system.prefix}.homeward.identity-documents.events.v1`),
      };
      for (const o of lost.slice(0, 80)) {
        const onTopic = (o.step === 'passport' ? topics.documents : topics.intake).get(o.eventId) ?? 0;
        process.stdout.write(
          `undelivered ${o.step} ${o.eventId} sent ${o.startedAt - killedAt} ms after the kill (back at ${backAt - killedAt}); ` +
            `audit ${o.inAudit} legal ${o.inLegal} outbox ${o.inOutbox} on topic ${onTopic}x\n`,
        );
      }
      const messages = (onTopic: Map<string, number>) => `${[...onTopic.values()].reduce((a, b) => a + b, 0)} (${onTopic.size} distinct)`;
      process.stdout.write(`topic messages: intake ${messages(topics.intake)}, documents ${messages(topics.documents)}\n`);
      throw error;
    });
    // Intake's and identity-documents' own read models are written with the events: Kafka has no part in them.
    const readModelMismatches = await halfAppliedCommands(system, outcomes);
    process.stdout.write(
      `faults kafka-kill: accepted ${ok.length} (refused ${refused}), ${summary(delivery)}, ` +
        `own read models wrong ${readModelMismatches.length}, ` +
        `accepted while Kafka down ${whileDown} (${Math.round((backAt - killedAt) / 1000)} s)\n`,
    );

    expect(readModelMismatches).toEqual([]);
    expect(refused).toBe(0);
    expect(whileDown).toBeGreaterThan(20);
    expect(delivery.store).toEqual({ seen: delivery.acceptedEvents, missing: 0, unacknowledged: 0 });
    expect(delivery.legal).toEqual({ seen: delivery.acceptedEvents, missing: 0, duplicates: 0, casesMissing: 0, factsWrong: 0 });
    expect(delivery.audit).toEqual({ seen: delivery.acceptedEvents, missing: 0, duplicates: 0 });
  }, 300_000);
});
