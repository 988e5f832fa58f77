// Bookkeeping of Pub/Sub-style deliveries to function instances, and the check that each one
// ended with a reason in that instance's own log: a retry (5xx) must be preceded by the
// function's "event will be retried: <why>" line, an acknowledgement by a skip reason, a reconcile
// outcome, or the routing line ("<method> by <who> touches <service>"): an event that joins a
// reconcile already in flight for its service shares that reconcile's outcome, which is logged
// under the first event's insertId.
import { acknowledged } from './deliver';
import type { Transcript } from './transcript';

export interface DeliveryRecord {
  /** the instance's transcript name */
  instance: string;
  eventId: string;
  insertId: string;
  statuses: number[];
  acked: boolean;
}

export function unexplainedDeliveries(transcript: Transcript, deliveries: DeliveryRecord[]): string[] {
  const problems: string[] = [];
  for (const d of deliveries) {
    const records = transcript.records(`${d.instance}:`);
    const retries = d.statuses.filter((s) => s >= 500).length;
    const retryLines = records.filter((r) => r.retry === true && r.eventId === d.eventId).length;
    if (retryLines < retries)
      problems.push(`${d.instance} answered ${retries}× 5xx to ${d.insertId} but logged ${retryLines} retry reasons`);
    const acks = d.statuses.filter(acknowledged).length;
    const reasons = records.filter(
      (r) =>
        r.insertId === d.insertId &&
        (typeof r.skipReason === 'string' || typeof r.status === 'string' || / touches /.test(String(r.message))),
    ).length;
    if (acks > 0 && reasons === 0)
      problems.push(`${d.instance} acknowledged ${d.insertId} without logging a skip reason, a routing line or an outcome`);
  }
  return problems;
}

export interface DeliveryFigures {
  deliveries: number;
  acknowledged: number;
  /** still answered 5xx after every attempt (Pub/Sub would go on redelivering) */
  stillRetrying: number;
  attempts: number;
  retriedAnswers: number;
  maxAttempts: number;
}

export function deliveryFigures(deliveries: DeliveryRecord[]): DeliveryFigures {
  const attempts = deliveries.map((d) => d.statuses.length);
  return {
    deliveries: deliveries.length,
    acknowledged: deliveries.filter((d) => d.acked).length,
    stillRetrying: deliveries.filter((d) => !d.acked).length,
    attempts: attempts.reduce((a, b) => a + b, 0),
    retriedAnswers: deliveries.reduce((n, d) => n + d.statuses.filter((s) => !acknowledged(s)).length, 0),
    maxAttempts: Math.max(0, ...attempts),
  };
}
