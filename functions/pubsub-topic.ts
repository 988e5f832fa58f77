// A Pub/Sub topic's full name, projects/PROJECT/topics/TOPIC: how REPORT_TOPIC and replay's
// --publish name a topic, and where the client gets the project it publishes from.
const TOPIC_NAME = /^projects\/([^/]+)\/topics\/([^/]+)$/;

/** The project and topic ID of a full topic name; undefined when `name` is not one. */
export function parseTopicName(name: string): { project: string; topic: string } | undefined {
  const match = TOPIC_NAME.exec(name);
  return match ? { project: match[1]!, topic: match[2]! } : undefined;
}
