/** One topic per context; the topics are the replayable log, so retention is unlimited. */
export const contexts = ['intake', 'identity-documents', 'legal', 'notifications', 'audit'] as const;
export type Context = (typeof contexts)[number];

export const topicOf = (context: Context | string) => `homeward.${context}.events.v1`;
export const deadLetterTopicOf = (topic: string, group: string) => `${topic}.dlq.${group}`;
