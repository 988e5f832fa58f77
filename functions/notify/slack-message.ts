// Outcome(s) → a Slack Block Kit message. Pure: no clock, no environment, no network.
// Slack's Block Kit limits (https://api.slack.com/reference/block-kit/blocks): at most 50 blocks, header text at most 150 characters; a section's
// text at most 3,000 and a field's at most 2,000. Long lists end in a "+N more" line instead.
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import type { Outcome, StepStatus } from '../reconcile/model';
import { chainOf, type LinkState } from '../reconcile/chain';
import { describeDrift, describeStep, describeTrigger, LINK_TITLE, STATUS_TITLE, STATUS_VERB, stepSubject } from './describe';

export type SlackBlock = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

export interface SlackMessage {
  /** Plain-text fallback: notifications, screen readers, clients without Block Kit. */
  text: string;
  blocks: SlackBlock[];
}

export const MAX_BLOCKS = 50;
export const MAX_HEADER_CHARS = 150;
const MAX_SECTION_CHARS = 3000;
const MAX_FIELD_CHARS = 2000;

const STEP_ICON: Record<StepStatus, string> = {
  done: ':white_check_mark:',
  'already-exists': ':white_check_mark:',
  failed: ':x:',
  'not-run': ':heavy_minus_sign:',
};

/** The message for one reconcile outcome. */
export function slackMessage(outcome: Outcome): SlackMessage {
  const { plan } = outcome;
  const trigger = describeTrigger(outcome.trigger);
  const head: SlackBlock[] = [
    header(`${STATUS_TITLE[outcome.status]}: ${plan.service}`),
    {
      type: 'section',
      fields: [
        field('Service', plan.service, 'code'),
        field('Project', plan.project),
        field('Region', plan.region),
        ...(outcome.trigger
          ? [field('Changed by', trigger.principal), field('Method', trigger.method, 'code'), field('When', trigger.time || 'unknown')]
          : [field('Trigger', 'sweep (no audit event)')]),
      ],
    },
  ];
  if (outcome.reason) head.push(section(`*Reason:* ${escape(outcome.reason)}`));
  head.push(section(chainLine(outcome)));

  const items: SlackBlock[] = [];
  if (plan.drift.length > 0) {
    items.push(section(`*Drift* (${plan.drift.length})`));
    for (const drift of plan.drift) items.push(section(driftLine(drift, plan.project)));
  }
  if (outcome.dryRun || outcome.status === 'drift-detected') {
    const steps = plan.levels.flat();
    if (steps.length > 0) {
      items.push(section(`*Would repair* with ${steps.length} step${plural(steps.length)} (dry run: nothing was written)`));
      for (const step of steps) items.push(section(`:hourglass: ${escape(describeStep(step))}`));
    }
  } else if (outcome.steps.length > 0) {
    items.push(section(`*Steps* (${outcome.steps.length}, ${outcome.writes} write${plural(outcome.writes)})`));
    for (const result of outcome.steps) {
      const attempts = result.attempts === 1 ? '' : `, ${result.attempts} attempts`;
      const error = result.error ? `\n> ${escape(result.error.class)}: ${escape(result.error.message)}` : '';
      items.push(
        section(
          `${STEP_ICON[result.status]} ${escape(describeStep(result.step))} — ${result.status}, ${seconds(result.durationMs)}${attempts}${error}`,
        ),
      );
    }
  }
  for (const { drift, reason } of plan.unrepaired) {
    items.push(section(`:warning: *Not repaired:* ${escape(describeDrift(drift).what)} — ${escape(reason)}`));
  }

  const tail: SlackBlock[] = [section(verification(outcome)), links(outcome)];
  return {
    text: fallbackText(outcome),
    blocks: fitBlocks(
      head,
      items.map((item) => [item]),
      tail,
      'line',
    ),
  };
}

/** One message for a burst of outcomes: a headline count and a short section per service. */
export function slackSummary(outcomes: Outcome[]): SlackMessage {
  if (outcomes.length === 1) return slackMessage(outcomes[0]!);
  const title = summaryTitle(outcomes);
  const groups: SlackBlock[][] = [];
  for (const outcome of outcomes) {
    const { plan } = outcome;
    const trigger = describeTrigger(outcome.trigger);
    const who = outcome.trigger
      ? `changed by ${escape(trigger.principal)} via \`${escape(trigger.method)}\` ${escape(trigger.time)}`
      : 'found by a sweep';
    const facts = `${plan.drift.length} drift${plural(plan.drift.length)}, ${outcome.steps.length} step${plural(outcome.steps.length)}, ${outcome.writes} write${plural(outcome.writes)}`;
    groups.push([
      { type: 'divider' },
      section(
        `*${STATUS_TITLE[outcome.status]}* · \`${escape(plan.service)}\` (${escape(plan.project)} / ${escape(plan.region)})\n${who}\n${facts}. ${verification(outcome)}`,
      ),
      links(outcome),
    ]);
  }
  const text = `${title}: ${outcomes.map((o) => `${o.plan.service} (${STATUS_VERB[o.status]})`).join(', ')}`;
  return { text, blocks: fitBlocks([header(title)], groups, [], 'service') };
}

/** "3 services repaired", or "3 incidents: 2 repaired, 1 repair failed" when they differ. */
function summaryTitle(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(STATUS_VERB[o.status], (counts.get(STATUS_VERB[o.status]) ?? 0) + 1);
  if (counts.size === 1) return `${outcomes.length} services ${[...counts.keys()][0]}`;
  return `${outcomes.length} incidents: ${[...counts].map(([verb, n]) => `${n} ${verb}`).join(', ')}`;
}

function verification(outcome: Outcome): string {
  const remaining = outcome.remainingDrift;
  switch (outcome.status) {
    case 'repaired':
      return '*Verified:* a re-read shows no drift left.';
    case 'failed':
      if (remaining.length === 0) return '*Verification:* no drift left, but a step failed.';
      return `*Verification:* ${remaining.length} drift${plural(remaining.length)} remain: ${remaining.map((d) => escape(describeDrift(d).what)).join('; ')}`;
    case 'drift-detected':
      return '*Not verified:* dry run, nothing was written.';
    case 'breaker-open':
      return '*No repair attempted:* the breaker is open after repeated repairs; fix the cause, then reconcile by hand.';
    case 'paused':
      return '*No repair attempted:* the service is paused by annotation.';
    case 'in-sync':
      return '*In sync:* no drift.';
  }
}

const LINK_ICON: Record<LinkState, string> = { ok: ':white_check_mark:', missing: ':x:', drifted: ':warning:', unknown: ':grey_question:' };

/** The chain in traffic order with each link's state, as the CLI draws it. */
function chainLine(outcome: Outcome): string {
  const links = chainOf(outcome).map(
    (l) =>
      `${LINK_ICON[l.state]} ${LINK_TITLE[l.kind]}${l.state === 'ok' ? '' : ` (${l.state === 'drifted' ? l.fields.join(', ') : l.state})`}`,
  );
  return `*Chain:* ${escape(links.join(' → '))}`;
}

function driftLine(drift: Outcome['plan']['drift'][number], project: string): string {
  const { what, wanted, found } = describeDrift(drift, project);
  return `• *${escape(what)}*\nwanted \`${escape(wanted)}\` · found \`${escape(found)}\``;
}

function links(outcome: Outcome): SlackBlock {
  const { project, region, service } = outcome.plan;
  const q = `?project=${encodeURIComponent(project)}`;
  const parts = [
    `<https://console.cloud.google.com/run/detail/${encodeURIComponent(region)}/${encodeURIComponent(service)}${q}|Cloud Run service>`,
    `<https://console.cloud.google.com/net-services/loadbalancing/list/loadBalancers${q}|Load balancers>`,
  ];
  const rule = forwardingRuleName(outcome);
  if (rule) {
    parts.push(
      `<https://console.cloud.google.com/net-services/loadbalancing/advanced/forwardingRules/details/regions/${encodeURIComponent(region)}/forwardingRules/${encodeURIComponent(rule)}${q}|Forwarding rule ${escape(rule)}>`,
    );
  }
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ') }] };
}

/** The forwarding rule's name when the drift or the steps mention it (the Outcome has no declaration). */
function forwardingRuleName(outcome: Outcome): string | undefined {
  for (const drift of outcome.plan.drift) if ('kind' in drift && drift.kind === 'forwardingRule') return drift.name;
  for (const step of outcome.plan.levels.flat()) {
    const subject = stepSubject(step);
    if (subject.kind === 'forwardingRule') return subject.name;
  }
  return undefined;
}

function fallbackText(outcome: Outcome): string {
  const { plan } = outcome;
  const trigger = describeTrigger(outcome.trigger);
  const who = outcome.trigger ? `changed by ${trigger.principal} via ${trigger.method}` : 'found by a sweep';
  const action =
    outcome.status === 'drift-detected' ? `would repair with ${plan.levels.flat().length} steps` : `${outcome.steps.length} steps`;
  const reason = outcome.reason ? ` Reason: ${outcome.reason}` : '';
  return `${STATUS_TITLE[outcome.status]}: ${plan.service} (${plan.project}/${plan.region}), ${plan.drift.length} drift, ${action}; ${who}.${reason}`;
}

/** head + as many whole groups as fit + "+N more" + tail: never more than MAX_BLOCKS. */
function fitBlocks(head: SlackBlock[], groups: SlackBlock[][], tail: SlackBlock[], unit: string): SlackBlock[] {
  const room = MAX_BLOCKS - head.length - tail.length;
  const total = groups.reduce((n, group) => n + group.length, 0);
  const budget = total <= room ? room : room - 1; // one block kept for the "+N more" note
  const body: SlackBlock[] = [];
  let shown = 0;
  while (shown < groups.length && body.length + groups[shown]!.length <= budget) body.push(...groups[shown++]!);
  const more = groups.length - shown;
  if (more > 0) {
    body.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `+${more} more ${unit}${plural(more)} not shown (the full list is in the report topic)` }],
    });
  }
  return [...head, ...body, ...tail];
}

function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: cut(text, MAX_HEADER_CHARS), emoji: true } };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, MAX_SECTION_CHARS) } };
}

function field(label: string, value: string, style?: 'code'): { type: 'mrkdwn'; text: string } {
  const shown = style === 'code' ? `\`${escape(value)}\`` : escape(value);
  return { type: 'mrkdwn', text: cut(`*${label}*\n${shown}`, MAX_FIELD_CHARS) };
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
