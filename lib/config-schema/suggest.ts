/** Edit distance (insertions, deletions, substitutions), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input` when it is plausibly a typo of it (case-insensitive match, a
 * unique abbreviation, or at most a third of the input's length edited, at most 3); undefined otherwise.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const list = [...candidates];
  // An abbreviation of exactly one candidate ("githubRepo" for "githubRepository").
  const extended = lower.length >= 4 ? list.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (extended.length === 1 && extended[0]!.toLowerCase() !== lower) return extended[0];
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  for (const candidate of list) {
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ' (did you mean "X"?)' or "" */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
