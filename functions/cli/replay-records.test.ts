import { splitRecords } from './replay-records';

test('a gcloud logging read JSON array yields one record per element', () => {
  const records = splitRecords(JSON.stringify([{ insertId: 'a' }, { insertId: 'b' }], null, 2));
  expect(records).toEqual([
    { index: 0, value: { insertId: 'a' } },
    { index: 1, value: { insertId: 'b' } },
  ]);
});

test("the Logging API's entries.list response yields its entries", () => {
  const records = splitRecords(JSON.stringify({ entries: [{ insertId: 'a' }, { insertId: 'b' }], nextPageToken: 'x' }));
  expect(records).toEqual([
    { index: 0, value: { insertId: 'a' } },
    { index: 1, value: { insertId: 'b' } },
  ]);
});

test('JSON lines: each line a record, a bad line reported by index and the rest kept', () => {
  const records = splitRecords('{"a":1}\n\nnot json\n{"b":2}\n');
  expect(records[0]).toEqual({ index: 0, value: { a: 1 } });
  expect(records[1]).toMatchObject({ index: 1, error: expect.stringContaining('not JSON') });
  expect(records[2]).toEqual({ index: 2, value: { b: 2 } });
});

test('one pretty-printed document is one record; empty input is none', () => {
  expect(splitRecords('{\n "specversion": "1.0"\n}\n')).toEqual([{ index: 0, value: { specversion: '1.0' } }]);
  expect(splitRecords('  \n')).toEqual([]);
});

test('a cut-off JSON array is one error, not one per line', () => {
  const text = JSON.stringify([{ insertId: 'a' }, { insertId: 'b' }], null, 2);
  const records = splitRecords(text.slice(0, -10));
  expect(records).toEqual([
    { index: 0, error: expect.stringContaining('a JSON array (as gcloud logging read --format=json prints) that does not parse') },
  ]);
});
