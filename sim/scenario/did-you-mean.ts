/**
 * "Did you mean …?" suggestions for misspelt keys and names in scenario files.
 */

/**
 * Edit distance between `a` and `b`: insertions, deletions, substitutions and transpositions of
 * two adjacent characters each cost 1 (Damerau–Levenshtein, optimal-string-alignment variant).
 * Compares UTF-16 code units, case-sensitively.
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: i-2, i-1, i.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The candidate closest to `word`, or `undefined` when none is close.
 *
 * Distance is {@link editDistance} on lower-cased strings; a candidate qualifies when its distance
 * is at most `max(1, floor(word.length / 3))`. Ties go to the earlier candidate, so the result is
 * deterministic for a given candidate order. An exact (case-insensitive) match is returned as is.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // Cheap bound: the length difference alone is a lower bound on the distance.
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `'; did you mean "servers"?'` when {@link suggest} finds a candidate, else `''`. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `; did you mean "${s}"?`;
}
