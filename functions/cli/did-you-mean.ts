// "did you mean server-service?" for values commander cannot suggest itself (declared services,
// --format choices). Edit distance from fastest-levenshtein; the threshold is the one commander
// uses for commands and options (at most a third of the word, and 1 for short words), so every
// suggestion the CLI makes feels the same.
import { distance } from 'fastest-levenshtein';

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of new Set(candidates)) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
}
