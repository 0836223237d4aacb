/** One topic per context; the topics are the replayable log, so retention is unlimited. */
export const contexts = ['intake', 'identity-documents', 'legal', 'notifications', 'audit'] as const;
export type Context = (typeof contexts)[number];

/**
 * KAFKA_TOPIC_PREFIX (default none) gives a deployment, or one test run, topics of its own on a
 * shared cluster. infra/topics.mjs names topics the same way (it runs before npm install).
 */
export const topicOf = (context: Context | string) => `${process.env.KAFKA_TOPIC_PREFIX ?? ''}homeward.${context}.events.v1`;
export const deadLetterTopicOf = (topic: string, group: string) => `${topic}.dlq.${group}`;
