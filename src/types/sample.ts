// Random index sampling shared by SRANDMEMBER / HRANDFIELD / ZRANDMEMBER / SPOP.

export function randomIndex(n: number): number {
  return Math.floor(Math.random() * n);
}

/** `count` random indexes in [0, n), repeats allowed, in random order. */
export function indexesWithRepeats(n: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = randomIndex(n);
  return out;
}

/**
 * `count` distinct random indexes in [0, n) in ascending order (count <= n): selection
 * sampling, one pass, as Valkey's lpNextRandom picks listpack entries in order.
 */
export function sortedDistinctIndexes(n: number, count: number): number[] {
  const out: number[] = [];
  let needed = count;
  for (let i = 0; i < n && needed > 0; i++) {
    if (Math.random() * (n - i) < needed) {
      out.push(i);
      needed--;
    }
  }
  return out;
}

/**
 * `count` distinct random indexes in [0, n) in random order (count <= n). Like Valkey's
 * "CASE 3 / CASE 4": when count is close to n, shuffle a prefix of all indexes; otherwise draw
 * and reject repeats.
 */
export function distinctIndexes(n: number, count: number): number[] {
  if (count * 3 > n) {
    const all = new Array<number>(n);
    for (let i = 0; i < n; i++) all[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + randomIndex(n - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    all.length = count;
    return all;
  }
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < count) {
    const i = randomIndex(n);
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}
