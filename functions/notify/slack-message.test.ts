import type { Drift, OutcomeStatus } from '../reconcile/model';
import { outcome } from './outcomes.fixture';
import { MAX_BLOCKS, MAX_HEADER_CHARS, slackMessage, slackSummary, type SlackBlock, type SlackMessage } from './slack-message';

// Block Kit as plain JSON, the way Slack (and the sink) sees it.
type Json = { type: string; text?: { type: string; text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: string }> };
const blocks = (m: SlackMessage): Json[] => m.blocks as unknown as Json[];
const textOf = (b: SlackBlock): string => {
  const j = b as unknown as Json;
  return [j.text?.text, ...(j.fields ?? []).map((f) => f.text), ...(j.elements ?? []).map((e) => e.text)].filter(Boolean).join('\n');
};
const allText = (m: SlackMessage): string => m.blocks.map(textOf).join('\n');

function expectWithinSlackLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  for (const b of blocks(m)) if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(MAX_HEADER_CHARS);
  for (const b of blocks(m)) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  expect(m.text.length).toBeGreaterThan(0);
}

test.each<[OutcomeStatus, string]>([
  ['repaired', 'Repaired: server-service'],
  ['failed', 'Repair failed: server-service'],
  ['drift-detected', 'Drift detected: server-service'],
  ['breaker-open', 'Breaker open: server-service'],
])('%s: header "%s", where, who, drift, verification, links', (status, title) => {
  const m = slackMessage(outcome(status));
  expectWithinSlackLimits(m);
  const [head, facts] = blocks(m);
  expect(head).toEqual({ type: 'header', text: { type: 'plain_text', text: title, emoji: true } });
  expect(facts!.fields!.map((f) => f.text)).toEqual([
    '*Service*\n`server-service`',
    '*Project*\ndemo-project',
    '*Region*\nasia-northeast1',
    '*Changed by*\nalice@example.com',
    '*Method*\n`google.cloud.run.v1.Services.ReplaceService`',
    '*When*\n2026-11-25T10:00:00.123Z',
  ]);
  const text = allText(m);
  expect(text).toContain('*Drift* (3)');
  expect(text).toContain('• *ingress*\nwanted `internal` · found `all`');
  expect(text).toContain('• *forwardingRule internal-lb-frontend*\nwanted `exists` · found `missing`');
  expect(text).toContain('• *backendService internal-lb-backend-svc .timeoutSec*\nwanted `30` · found `5`');
  const last = blocks(m).at(-1)!;
  expect(last.type).toBe('context');
  expect(last.elements![0]!.text).toContain(
    '<https://console.cloud.google.com/run/detail/asia-northeast1/server-service?project=demo-project|Cloud Run service>',
  );
  expect(last.elements![0]!.text).toContain(
    'https://console.cloud.google.com/net-services/loadbalancing/list/loadBalancers?project=demo-project',
  );
  expect(last.elements![0]!.text).toContain(
    'https://console.cloud.google.com/net-services/loadbalancing/advanced/forwardingRules/details/regions/asia-northeast1/forwardingRules/internal-lb-frontend?project=demo-project',
  );
  expect(m.text).toMatch(new RegExp(`^${title} \\(demo-project/asia-northeast1\\), 3 drift`));
  expect(m.text).toContain('changed by alice@example.com via google.cloud.run.v1.Services.ReplaceService');
});

test('repaired: each step with status and duration, then the verification', () => {
  const text = allText(slackMessage(outcome('repaired')));
  expect(text).toContain('*Steps* (3, 3 writes)');
  expect(text).toContain(':white_check_mark: set ingress of server-service to internal — done, 1.8 s');
  expect(text).toContain(':white_check_mark: patch timeoutSec on backendService internal-lb-backend-svc — done, 900 ms');
  expect(text).toContain(':white_check_mark: create forwardingRule internal-lb-frontend — done, 12.4 s');
  expect(text).toContain('*Verified:* a re-read shows no drift left.');
});

test('failed: the failing step with attempts and error, the reason, and the drift that remains', () => {
  const text = allText(slackMessage(outcome('failed')));
  expect(text).toContain(
    ':x: create forwardingRule internal-lb-frontend — failed, 9.0 s, 3 attempts\n> permission-denied: compute.forwardingRules.create denied',
  );
  expect(text).toContain('*Reason:* step create forwardingRule internal-lb-frontend failed: permission denied');
  expect(text).toContain('*Verification:* 1 drift remain: forwardingRule internal-lb-frontend');
});

test('dry run: "would repair" with the planned steps, nothing written', () => {
  const m = slackMessage(outcome('drift-detected'));
  const text = allText(m);
  expect(text).toContain('*Would repair* with 3 steps (dry run: nothing was written)');
  expect(text).toContain(':hourglass: create forwardingRule internal-lb-frontend');
  expect(text).toContain(':hourglass: set ingress of server-service to internal');
  expect(text).toContain('*Not verified:* dry run, nothing was written.');
  expect(m.text).toContain('would repair with 3 steps');
});

test('breaker open: the reason and no repair', () => {
  const text = allText(slackMessage(outcome('breaker-open')));
  expect(text).toContain('*Reason:* 4 repairs in 600 s (max 3): breaker open');
  expect(text).toContain('*No repair attempted:* the breaker is open');
});

test('a sweep (no trigger) says so instead of a principal', () => {
  const m = slackMessage(outcome('repaired', 'server-service', { trigger: undefined }));
  expect(blocks(m)[1]!.fields!.map((f) => f.text)).toEqual([
    '*Service*\n`server-service`',
    '*Project*\ndemo-project',
    '*Region*\nasia-northeast1',
    '*Trigger*\nsweep (no audit event)',
  ]);
  expect(m.text).toContain('found by a sweep');
});

test('unrepaired drift is listed with its reason', () => {
  const immutable: Drift = {
    type: 'immutable',
    kind: 'address',
    name: 'internal-lb-ip',
    field: 'address',
    wanted: '10.0.0.100',
    found: '10.0.0.7',
  };
  const base = outcome('failed');
  const m = slackMessage({
    ...base,
    plan: { ...base.plan, unrepaired: [{ drift: immutable, reason: 'immutable; recreateOnImmutableDrift is off' }] },
  });
  expect(allText(m)).toContain(
    ':warning: *Not repaired:* address internal-lb-ip .address (immutable) — immutable; recreateOnImmutableDrift is off',
  );
});

test('principal and values are escaped for mrkdwn', () => {
  const base = outcome('repaired');
  const m = slackMessage({ ...base, trigger: { ...base.trigger!, principal: '<!channel> & co' } });
  expect(allText(m)).toContain('*Changed by*\n&lt;!channel&gt; &amp; co');
  expect(allText(m)).not.toContain('<!channel>');
});

test('a 200-character service name keeps the header within 150 characters', () => {
  const name = 's'.repeat(200);
  const m = slackMessage(outcome('repaired', name));
  const header = blocks(m)[0]!.text!.text;
  expect(header).toHaveLength(MAX_HEADER_CHARS);
  expect(header.startsWith('Repaired: sss')).toBe(true);
  expect(header.endsWith('…')).toBe(true);
});

test('200 drifts: exactly 50 blocks, a "+N more" line, verification and links kept', () => {
  const drift: Drift[] = Array.from({ length: 200 }, (_, i) => ({ type: 'missing', kind: 'neg', name: `neg-${i}` }));
  const base = outcome('failed');
  const m = slackMessage({ ...base, plan: { ...base.plan, drift }, remainingDrift: drift });
  expectWithinSlackLimits(m);
  expect(m.blocks).toHaveLength(MAX_BLOCKS);
  const all = blocks(m);
  // header, facts, reason, chain (4) + 43 items + note + verification + links = 50
  const note = all[47]!;
  const itemsShown = 43;
  const totalItems = 1 + 200 + 1 + 3; // drift heading, drifts, steps heading, steps
  expect(note).toEqual({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `+${totalItems - itemsShown} more lines not shown (the full list is in the report topic)` }],
  });
  expect(textOf(m.blocks[48]!)).toMatch(/^\*Verification:\* 200 drifts remain/);
  expect(all[49]!.type).toBe('context');
});

describe('summary of a burst', () => {
  test('3 repaired services: one header "3 services repaired" and a section per service', () => {
    const m = slackSummary(['alpha', 'beta', 'gamma'].map((s) => outcome('repaired', s)));
    expectWithinSlackLimits(m);
    expect(blocks(m)[0]!.text!.text).toBe('3 services repaired');
    const sections = blocks(m).filter((b) => b.type === 'section');
    expect(sections).toHaveLength(3);
    expect(sections.map((s) => s.text!.text.split('\n')[0])).toEqual([
      '*Repaired* · `alpha` (demo-project / asia-northeast1)',
      '*Repaired* · `beta` (demo-project / asia-northeast1)',
      '*Repaired* · `gamma` (demo-project / asia-northeast1)',
    ]);
    expect(sections[0]!.text!.text).toContain('changed by alice@example.com via `google.cloud.run.v1.Services.ReplaceService`');
    expect(sections[0]!.text!.text).toContain('3 drifts, 3 steps, 3 writes. *Verified:*');
    expect(allText(m)).toContain('run/detail/asia-northeast1/beta?project=demo-project');
    expect(m.text).toBe('3 services repaired: alpha (repaired), beta (repaired), gamma (repaired)');
  });

  test('mixed outcomes are counted per kind', () => {
    const m = slackSummary([outcome('repaired', 'a'), outcome('failed', 'b'), outcome('repaired', 'c'), outcome('breaker-open', 'd')]);
    expect(blocks(m)[0]!.text!.text).toBe('4 incidents: 2 repaired, 1 repair failed, 1 breaker open');
  });

  test('one outcome is the normal message', () => {
    expect(slackSummary([outcome('failed')])).toEqual(slackMessage(outcome('failed')));
  });

  test('40 services stay within 50 blocks with "+N more"', () => {
    const m = slackSummary(Array.from({ length: 40 }, (_, i) => outcome('repaired', `svc-${i}`)));
    expectWithinSlackLimits(m);
    // header + 16 whole services of 3 blocks + note
    expect(m.blocks).toHaveLength(1 + 16 * 3 + 1);
    expect(textOf(m.blocks.at(-1)!)).toBe('+24 more services not shown (the full list is in the report topic)');
    expect(textOf(m.blocks.at(-2)!)).toContain('run/detail/asia-northeast1/svc-15?');
  });
});

test('the chain with each link state, in traffic order, as the CLI and the report have it', () => {
  const chain = textOf(blocks(slackMessage(outcome('failed'))).find((b) => textOf(b).startsWith('*Chain:*'))!);
  expect(chain).toBe(
    '*Chain:* :white_check_mark: address → :x: forwarding rule (missing) → :white_check_mark: target proxy → :white_check_mark: URL map → ' +
      ':warning: backend service (timeoutSec) → :white_check_mark: serverless NEG → :warning: Cloud Run service (ingress)',
  );
});
