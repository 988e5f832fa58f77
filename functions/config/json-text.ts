// A mesh written as JSON (as generators and `writeMesh` write it) read with JSON.parse instead of
// the YAML composer: for a 10,000-service mesh (4.3 MB) the composer takes ~6 s and ~230 MiB
// more memory, JSON.parse 12 ms and nothing beyond the result. JSON.parse keeps the last of a
// repeated key silently, so repeats are looked for with jsonc-parser's scanner (no tree built);
// text JSON.parse refuses, or with a repeated key, is left to the YAML parser for its located errors.
import { visit } from 'jsonc-parser';

/** The parsed value of `text` when it is plain JSON with no repeated key; undefined otherwise. */
export function parsePlainJson(text: string): unknown {
  if (!/^\s*\{/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return repeatsAKey(text) ? undefined : value;
}

function repeatsAKey(text: string): boolean {
  const open: Array<Set<string>> = [];
  let repeated = false;
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (name) => {
      const keys = open[open.length - 1];
      if (keys?.has(name)) repeated = true;
      keys?.add(name);
    },
  });
  return repeated;
}
