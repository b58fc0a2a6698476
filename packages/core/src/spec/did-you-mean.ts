import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate to a misspelled word, or undefined when nothing is close enough to be a likely typo
 * (at most a third of the word's length in edits, case-insensitive, at least 1).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Swapped neighbours ("sede" for "seed") are one slip of the fingers, though Levenshtein counts two.
    const d = isTransposition(lower, candidate.toLowerCase()) ? 1 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const differ = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  return differ.length === 2 && differ[1] === differ[0]! + 1 && a[differ[0]!] === b[differ[1]!] && a[differ[1]!] === b[differ[0]!];
}

/** " Did you mean "x"?" or "" — ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}

/** `"a", "b", "c"` for messages listing what was expected. */
export function quoteList(items: Iterable<string>): string {
  return [...items].map((item) => `"${item}"`).join(', ');
}
