// Partial responses: Google's system parameter `fields` (query) or its header X-Goog-FieldMask
// names the fields a response keeps (docs/google-behaviour.md). Syntax served: paths separated by
// commas, sub-fields by `/` or `.`, `a(b,c)` for b and c of a, `*` for every field; a repeated
// field's selection applies to each element. A name the response lacks is left out (Google
// refuses a field its schema does not have; the emulator has no schema to tell).
import { invalid } from './google-error';
import type { Json } from './json';

/** Each selected field and what of it is kept (`true`: all of it). */
export type Selection = Map<string, Selection | true>;

export function parseFieldMask(text: string): Selection {
  let at = 0;
  const fail = (): never => {
    throw invalid(`Invalid field selection ${text}`);
  };
  const name = (): string => {
    const match = /^(\*|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at));
    if (!match) return fail();
    at += match[0].length;
    return match[0];
  };
  const list = (into: Selection): void => {
    do {
      const path = [name()];
      while (text[at] === '/' || text[at] === '.') {
        at += 1;
        path.push(name());
      }
      let leaf: Selection | true = true;
      if (text[at] === '(') {
        at += 1;
        leaf = new Map();
        list(leaf);
        if (text[at] !== ')') fail();
        at += 1;
      }
      add(into, path, leaf);
    } while (text[at] === ',' && ++at);
  };
  const selection: Selection = new Map();
  list(selection);
  if (at !== text.length) fail();
  return selection;
}

function add(into: Selection, path: string[], leaf: Selection | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  const sub: Selection | true = rest.length === 0 ? leaf : new Map();
  if (rest.length > 0) add(sub as Selection, rest, leaf);
  const had = into.get(head);
  if (had === true || sub === true) into.set(head, true);
  else if (had) for (const [k, v] of sub) add(had, [k], v);
  else into.set(head, sub);
}

/** `value` with only the selected fields. */
export function applyFieldMask(value: unknown, selection: Selection | true): unknown {
  if (selection === true || selection.get('*') === true) return value;
  if (Array.isArray(value)) return value.map((item) => applyFieldMask(item, selection));
  if (value === null || typeof value !== 'object') return value;
  const kept: Json = {};
  for (const [field, sub] of selection) {
    const item = (value as Json)[field];
    if (item !== undefined) kept[field] = applyFieldMask(item, sub);
  }
  return kept;
}

/** The selection a request asks for (the `fields` parameter, else the header), if any. */
export function requestedFields(query: URLSearchParams, header: string | string[] | undefined): Selection | undefined {
  const text = query.get('fields') ?? (Array.isArray(header) ? header.join(',') : header);
  return text ? parseFieldMask(text) : undefined;
}
