// Splits a replay input into records, whatever the export looks like: the JSON array that
// `gcloud logging read --format=json` prints, the Logging API's entries.list response
// (`{"entries": [...], "nextPageToken"}`), JSON lines, or one JSON document. What each record
// is (LogEntry, Pub/Sub message, push body, CloudEvent) is decided per record by the decoder.

export type ReplayRecord = { index: number; value: unknown } | { index: number; error: string };

export function splitRecords(text: string): ReplayRecord[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const whole = tryParse(trimmed);
  if (whole.ok) {
    const list = Array.isArray(whole.value) ? whole.value : entriesList(whole.value);
    return list ? list.map((value, index) => ({ index, value })) : [{ index: 0, value: whole.value }];
  }
  // A broken array (a cut-off gcloud export) is one problem, not one per line of its pretty-printing.
  if (trimmed.startsWith('['))
    return [{ index: 0, error: `a JSON array (as gcloud logging read --format=json prints) that does not parse: ${whole.error}` }];
  // JSON lines: one record per non-empty line; a bad line is reported and the rest go on.
  const records: ReplayRecord[] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const parsed = tryParse(line);
    const index = records.length;
    records.push(parsed.ok ? { index, value: parsed.value } : { index, error: `not JSON: ${parsed.error}` });
  }
  return records;
}

/** The entries of an entries.list response; a LogEntry or an envelope never has a top-level `entries` array. */
function entriesList(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = (value as { entries?: unknown }).entries;
  return Array.isArray(entries) ? entries : undefined;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
