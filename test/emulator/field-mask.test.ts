// The partial-response field selection the emulator serves (`fields` / X-Goog-FieldMask).
import { applyFieldMask, parseFieldMask } from './field-mask';

const rule = {
  name: 'fr',
  IPAddress: '10.0.0.1',
  id: '123',
  target: 'https://example/proxy',
  logConfig: { enable: true, sampleRate: 1 },
  backends: [
    { group: 'g1', balancingMode: 'UTILIZATION' },
    { group: 'g2', balancingMode: 'RATE' },
  ],
};

test.each([
  ['name,IPAddress', { name: 'fr', IPAddress: '10.0.0.1' }],
  ['logConfig/enable', { logConfig: { enable: true } }],
  ['logConfig.enable,logConfig/sampleRate', { logConfig: { enable: true, sampleRate: 1 } }],
  ['backends(group)', { backends: [{ group: 'g1' }, { group: 'g2' }] }],
  ['backends/balancingMode,name', { name: 'fr', backends: [{ balancingMode: 'UTILIZATION' }, { balancingMode: 'RATE' }] }],
  ['logConfig,logConfig/enable', { logConfig: { enable: true, sampleRate: 1 } }],
  ['*', rule],
  ['logConfig(*)', { logConfig: rule.logConfig }],
  ['missing,name', { name: 'fr' }],
])('%s', (mask, expected) => {
  expect(applyFieldMask(rule, parseFieldMask(mask))).toEqual(expected);
});

test('a list page: the selection applies to each item', () => {
  const page = { kind: 'compute#forwardingRuleList', items: [rule, { ...rule, name: 'fr2' }], nextPageToken: 't' };
  expect(applyFieldMask(page, parseFieldMask('items(name,id),nextPageToken'))).toEqual({
    items: [
      { name: 'fr', id: '123' },
      { name: 'fr2', id: '123' },
    ],
    nextPageToken: 't',
  });
});

test.each(['', 'items(name', 'items)', 'a,,b', 'a/', 'a b'])('refuses %j', (mask) => {
  expect(() => parseFieldMask(mask)).toThrow(/Invalid field selection/);
});
