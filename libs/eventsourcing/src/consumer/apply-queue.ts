// Orders what a runner applies. Partitions are fetched concurrently, and the chunks that arrive
// together (or while a transaction is committing) are applied in one transaction, one after
// another: one commit and the same few statements for many partitions, each partition still in
// order. If such a transaction fails, each chunk is applied on its own, so that one failure holds
// up only its own partition.
import type { ConsumerStats, Decoded, Part } from './consumer-options.js';

/** A part waiting for the next transaction, and what to tell its batch when it is done. */
interface Waiting extends Part {
  done(error?: unknown): void;
}

export interface Appliers {
  /** Chunks of distinct partitions in one transaction. */
  together(parts: Part[]): Promise<void>;
  /** One chunk, isolating a message that fails. */
  alone(part: Part): Promise<void>;
}

export class ApplyQueue {
  private waiting: Waiting[] = [];
  private applying = false;

  constructor(
    private readonly chunkSize: number,
    private readonly appliers: Appliers,
    private readonly stats: ConsumerStats,
  ) {}

  /** Resolves once the chunk is applied (or dead-lettered), in a transaction with whatever else waits. */
  enqueue(topic: string, partition: number, chunk: Decoded[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ topic, partition, chunk, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.applySoon();
    });
  }

  /** The other partitions of the same fetch are handed over in the next few ticks: gather them. */
  private applySoon(): void {
    if (this.applying) return;
    this.applying = true;
    setImmediate(() => {
      void this.applyWaiting().finally(() => {
        this.applying = false;
        if (this.waiting.length > 0) this.applySoon();
      });
    });
  }

  private async applyWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      // Whole chunks up to chunkSize messages (at least one chunk), one per partition, in the order they came.
      const parts = [this.waiting.shift()!];
      let messages = parts[0]!.chunk.length;
      for (const next of this.waiting) {
        if (
          messages + next.chunk.length > this.chunkSize ||
          parts.some((part) => part.topic === next.topic && part.partition === next.partition)
        )
          break;
        parts.push(next);
        messages += next.chunk.length;
      }
      this.waiting.splice(0, parts.length - 1);
      if (parts.length > 1) {
        try {
          await this.appliers.together(parts);
          this.stats.combined += 1;
          for (const part of parts) part.done();
          continue;
        } catch {
          // Each chunk on its own then, so that one failure holds up only its own partition.
        }
      }
      for (const part of parts) {
        try {
          await this.appliers.alone(part);
          part.done();
        } catch (error) {
          part.done(error);
        }
      }
    }
  }
}
