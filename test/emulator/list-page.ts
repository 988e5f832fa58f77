// Paged list answers, as Compute (`maxResults` 0..500, default 500, `pageToken`, `filter`) and
// Cloud Run v2 (`pageSize`, `pageToken`) give them. Items are ordered by name and a page token
// names the last item served, so a resource created or deleted between pages neither shifts
// nor repeats the others. Filter forms served: `name eq RE2`, `name ne RE2` (full match; the
// expression unquoted, 'single' or "double" quoted, optionally in parentheses), `name = "literal"`,
// `name != "literal"`; anything else is refused, not ignored.
import { invalid } from './google-error';
import type { Json } from './json';

export interface PageRule {
  /** the query parameter naming the page size */
  sizeParam: 'maxResults' | 'pageSize';
  defaultSize: number;
  maxSize: number;
  /** Compute refuses a size above the maximum; Cloud Run (AIP-158) lowers it to the maximum */
  overMax: 'refuse' | 'clamp';
}

/** docs/google-behaviour.md: Compute list `maxResults` is 0..500, default 500. */
export const COMPUTE_PAGES: PageRule = { sizeParam: 'maxResults', defaultSize: 500, maxSize: 500, overMax: 'refuse' };
/** Cloud Run v2 ListServices page sizes are unverified (docs/google-behaviour.md). */
export const RUN_PAGES: PageRule = { sizeParam: 'pageSize', defaultSize: 100, maxSize: 1000, overMax: 'clamp' };

export interface Page {
  items: Json[];
  nextPageToken?: string;
}

export function pageOf(items: Json[], query: URLSearchParams, rule: PageRule): Page {
  const size = pageSize(query.get(rule.sizeParam), rule);
  const matches = nameFilter(query.get('filter'));
  const sorted = items.filter((item) => matches(String(item.name ?? ''))).sort((a, b) => compare(String(a.name), String(b.name)));
  const after = afterName(query.get('pageToken'));
  const rest = after === undefined ? sorted : sorted.filter((item) => compare(String(item.name), after) > 0);
  const page = rest.slice(0, size);
  const last = page[page.length - 1];
  return rest.length > size && last ? { items: page, nextPageToken: tokenAfter(String(last.name)) } : { items: page };
}

function pageSize(raw: string | null, rule: PageRule): number {
  if (raw === null || raw === '') return rule.defaultSize;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw invalid(`Invalid value for field '${rule.sizeParam}': '${raw}'. Must be a non-negative integer.`);
  if (n === 0) return rule.defaultSize;
  if (n > rule.maxSize) {
    if (rule.overMax === 'clamp') return rule.maxSize;
    throw invalid(`Invalid value for field '${rule.sizeParam}': '${raw}'. Must be less than or equal to ${rule.maxSize}`);
  }
  return n;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function tokenAfter(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString('base64url');
}

function afterName(token: string | null): string | undefined {
  if (token === null || token === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the refusal
  }
  throw invalid(`Invalid value for field 'pageToken': '${token}'. The page token is not one this list returned.`);
}

function nameFilter(filter: string | null): (name: string) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  // The regular-expression form, as compute.proto's `filter` documents it: one un-parenthesized
  // `name eq|ne LITERAL` (unquoted, 'single' or "double" quoted) or the same inside parentheses;
  // the literal is an RE2 expression that must match the entire name.
  const regex = /^\s*(\()?\s*name\s+(eq|ne)\s+(?:"([^"]*)"|'([^']*)'|([^\s"'()]+))\s*(\))?\s*$/.exec(filter);
  if (regex && Boolean(regex[1]) === Boolean(regex[6])) {
    const literal = (regex[3] ?? regex[4] ?? regex[5]) as string;
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${literal})$`);
    } catch {
      throw invalid(`Invalid list filter expression: ${filter}`);
    }
    return regex[2] === 'eq' ? (name) => re.test(name) : (name) => !re.test(name);
  }
  const literal = /^\s*name\s*(=|!=)\s*"([^"]*)"\s*$/.exec(filter);
  if (literal) return literal[1] === '=' ? (name) => name === literal[2] : (name) => name !== literal[2];
  throw invalid(
    `Invalid list filter expression: ${filter} (the emulator serves name eq|ne REGEX, quoted or not, optionally in parentheses, and name =|!= "literal")`,
  );
}
