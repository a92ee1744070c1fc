// The ordered half of the "skiplist" zset encoding (zset.ts pairs it with a member -> score
// table): elements ordered by (score, member bytes), with ranks, rank ranges, score ranges and
// lex ranges in O(log N).
//
// Valkey uses a skiplist with spans. In V8 a pointer-chasing skiplist pays a cache miss or two
// per step (the node object, then its level array): measured at several microseconds per
// insert or rank on 100k members. This index keeps the elements in order in blocks of at most
// BLOCK_MAX entries (parallel arrays of scores and members), the blocks' last keys in two
// arrays for binary search, and a Fenwick tree of block sizes for ranks. Every lookup is then a
// binary search over contiguous arrays:
//   find (score, member)   binary search over block last keys, then inside the block
//   rank <-> position      Fenwick prefix sums / descent over block sizes, O(log blocks)
//   insert / delete        an array splice inside one block (at most BLOCK_MAX moves); a block
//                          that overflows is split, one that runs low is merged with a
//                          neighbour, and only then are the block arrays rebuilt (amortized
//                          over at least BLOCK_MIN changes)
// Ranks are 0-based. Ties of score are ordered by member bytes (latin1 strings compare as
// memcmp with the shorter first, as sdscmp); -0 and 0 are equal scores. Scores are never NaN.
//
// Lex ranges are only meaningful when all scores are equal (then members are in order). With
// mixed scores they still answer something definite, as Valkey's skiplist does.

import {
  LexRange,
  ScoreRange,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  scoreGteMin,
  scoreLteMax,
  scoreRangeEmpty,
} from './ranges';

/** Entries per block: a split at BLOCK_MAX + 1, a merge below BLOCK_MIN. */
export const BLOCK_MAX = 128;
const BLOCK_MIN = 32;

interface Block {
  scores: number[];
  members: string[];
}

const scoresOf = (b: Block): number[] => b.scores;
const membersOf = (b: Block): string[] => b.members;

export type IndexVisitor = (member: string, score: number) => void;

/** (s1, m1) orders before (s2, m2). */
function keyLess(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

/** First position in the block whose key is not before (score, member). */
function lowerBound(b: Block, score: number, member: string): number {
  const s = b.scores;
  const m = b.members;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyLess(s[mid], m[mid], score, member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedIndex {
  private blocks: Block[] = [];
  private lastScores: number[] = [];
  private lastMembers: string[] = [];
  /** Fenwick tree over block sizes (1-based). */
  private tree = new Int32Array(1);
  /** highest power of two <= number of blocks (Fenwick descent) */
  private topStep = 0;
  /** position inside the block found by the last locate() */
  private at = 0;
  length = 0;

  /** An index of `scores`/`members` already in order and distinct. */
  static fromSorted(scores: readonly number[], members: readonly string[]): SortedIndex {
    const ix = new SortedIndex();
    const half = BLOCK_MAX >> 1;
    for (let i = 0; i < scores.length; i += half) {
      ix.blocks.push({ scores: scores.slice(i, i + half), members: members.slice(i, i + half) });
    }
    ix.length = scores.length;
    ix.rebuild();
    return ix;
  }

  clone(): SortedIndex {
    const ix = new SortedIndex();
    ix.blocks = this.blocks.map((b) => ({ scores: b.scores.slice(), members: b.members.slice() }));
    ix.length = this.length;
    ix.rebuild();
    return ix;
  }

  // ---- block bookkeeping --------------------------------------------------

  /** Recompute last keys and the Fenwick tree after the block list changed. */
  private rebuild(): void {
    const blocks = this.blocks;
    const nb = blocks.length;
    const t = new Int32Array(nb + 1);
    this.lastScores = new Array<number>(nb);
    this.lastMembers = new Array<string>(nb);
    for (let i = 1; i <= nb; i++) {
      const b = blocks[i - 1];
      const n = b.scores.length;
      this.lastScores[i - 1] = b.scores[n - 1];
      this.lastMembers[i - 1] = b.members[n - 1];
      t[i] += n;
      const j = i + (i & -i);
      if (j <= nb) t[j] += t[i];
    }
    this.tree = t;
    let step = 0;
    if (nb > 0) for (step = 1; step * 2 <= nb; step *= 2);
    this.topStep = step;
  }

  private addCount(b: number, delta: number): void {
    const t = this.tree;
    for (let i = b + 1; i < t.length; i += i & -i) t[i] += delta;
  }

  /** Elements in the blocks before block b. */
  private prefix(b: number): number {
    const t = this.tree;
    let sum = 0;
    for (let i = b; i > 0; i -= i & -i) sum += t[i];
    return sum;
  }

  /** The block holding 0-based `rank` (< length); the position in it goes to this.at. */
  private locate(rank: number): number {
    const t = this.tree;
    const nb = this.blocks.length;
    let pos = 0;
    let rem = rank;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= nb && t[next] <= rem) {
        pos = next;
        rem -= t[next];
      }
    }
    this.at = rem;
    return pos;
  }

  /** The block where (score, member) is or would go: the first whose last key is not before it. */
  private blockFor(score: number, member: string): number {
    const ls = this.lastScores;
    const lm = this.lastMembers;
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyLess(ls[mid], lm[mid], score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private setLast(b: number): void {
    const blk = this.blocks[b];
    const n = blk.scores.length;
    this.lastScores[b] = blk.scores[n - 1];
    this.lastMembers[b] = blk.members[n - 1];
  }

  /** Block b lost `removed` entries: drop it when empty, merge it when small, else update. */
  private shrunk(b: number, removed: number): void {
    const blocks = this.blocks;
    const n = blocks[b].scores.length;
    if (n === 0) {
      blocks.splice(b, 1);
      this.rebuild();
      return;
    }
    if (n < BLOCK_MIN && blocks.length > 1) {
      const next = b + 1 < blocks.length ? blocks[b + 1] : null;
      const prev = b > 0 ? blocks[b - 1] : null;
      if (next !== null && n + next.scores.length <= BLOCK_MAX) {
        this.mergeInto(b, b + 1);
        return;
      }
      if (prev !== null && prev.scores.length + n <= BLOCK_MAX) {
        this.mergeInto(b - 1, b);
        return;
      }
    }
    this.addCount(b, -removed);
    this.setLast(b);
  }

  /** Append block `from` (= into + 1) to block `into`. */
  private mergeInto(into: number, from: number): void {
    const a = this.blocks[into];
    const b = this.blocks[from];
    for (let i = 0; i < b.scores.length; i++) {
      a.scores.push(b.scores[i]);
      a.members.push(b.members[i]);
    }
    this.blocks.splice(from, 1);
    this.rebuild();
  }

  // ---- single elements ----------------------------------------------------

  /** Insert (score, member); the caller guarantees the member is not present. */
  insert(score: number, member: string): void {
    const blocks = this.blocks;
    this.length++;
    if (blocks.length === 0) {
      blocks.push({ scores: [score], members: [member] });
      this.rebuild();
      return;
    }
    const b = this.blockFor(score, member);
    const blk = blocks[b];
    const pos = lowerBound(blk, score, member);
    if (pos === blk.scores.length) {
      blk.scores.push(score);
      blk.members.push(member);
      this.lastScores[b] = score;
      this.lastMembers[b] = member;
    } else {
      blk.scores.splice(pos, 0, score);
      blk.members.splice(pos, 0, member);
    }
    if (blk.scores.length > BLOCK_MAX) {
      const half = blk.scores.length >> 1;
      blocks.splice(b + 1, 0, { scores: blk.scores.splice(half), members: blk.members.splice(half) });
      this.rebuild();
      return;
    }
    this.addCount(b, 1);
  }

  /** Remove (score, member). Returns false when it is not there. */
  remove(score: number, member: string): boolean {
    if (this.blocks.length === 0) return false;
    const b = this.blockFor(score, member);
    const blk = this.blocks[b];
    const pos = lowerBound(blk, score, member);
    if (pos === blk.scores.length || blk.members[pos] !== member || blk.scores[pos] !== score) return false;
    blk.scores.splice(pos, 1);
    blk.members.splice(pos, 1);
    this.length--;
    this.shrunk(b, 1);
    return true;
  }

  /** Move member from score `from` to score `to` (in place when the order allows it). */
  updateScore(member: string, from: number, to: number): void {
    const b = this.blockFor(from, member);
    const blk = this.blocks[b];
    const pos = lowerBound(blk, from, member);
    const s = blk.scores;
    const m = blk.members;
    // Inside the block, with both neighbours still around it: just change the score.
    if (pos > 0 && pos < s.length - 1 && keyLess(s[pos - 1], m[pos - 1], to, member) && keyLess(to, member, s[pos + 1], m[pos + 1])) {
      s[pos] = to;
      return;
    }
    this.remove(from, member);
    this.insert(to, member);
  }

  /** 0-based rank of (score, member), -1 when absent. */
  rankOf(score: number, member: string): number {
    if (this.blocks.length === 0) return -1;
    const b = this.blockFor(score, member);
    const blk = this.blocks[b];
    const pos = lowerBound(blk, score, member);
    if (pos === blk.scores.length || blk.members[pos] !== member) return -1;
    return this.prefix(b) + pos;
  }

  memberAt(rank: number): string {
    const b = this.locate(rank);
    return this.blocks[b].members[this.at];
  }

  scoreAt(rank: number): number {
    const b = this.locate(rank);
    return this.blocks[b].scores[this.at];
  }

  // ---- walks --------------------------------------------------------------

  /**
   * Visit `count` elements from 0-based rank `start` (which must exist), towards higher ranks
   * or (reverse) lower ones, stopping at either end. `fn` must not change the index.
   */
  visit(start: number, count: number, reverse: boolean, fn: IndexVisitor): void {
    if (start < 0 || start >= this.length || count <= 0) return;
    const blocks = this.blocks;
    let b = this.locate(start);
    let pos = this.at;
    while (count > 0 && b >= 0 && b < blocks.length) {
      const s = blocks[b].scores;
      const m = blocks[b].members;
      if (!reverse) {
        for (; pos < s.length && count > 0; pos++, count--) fn(m[pos], s[pos]);
        b++;
        pos = 0;
      } else {
        for (; pos >= 0 && count > 0; pos--, count--) fn(m[pos], s[pos]);
        b--;
        if (b >= 0) pos = blocks[b].scores.length - 1;
      }
    }
  }

  forEach(fn: IndexVisitor): void {
    for (const blk of this.blocks) {
      const s = blk.scores;
      const m = blk.members;
      for (let i = 0; i < s.length; i++) fn(m[i], s[i]);
    }
  }

  /** Remove ranks [from, to), calling `removed` for each member. Returns how many went. */
  deleteRange(from: number, to: number, removed: (member: string) => void): number {
    if (from < 0) from = 0;
    if (to > this.length) to = this.length;
    if (from >= to) return 0;
    const count = to - from;
    const blocks = this.blocks;
    let b = this.locate(from);
    let pos = this.at;
    this.length -= count;
    const first = blocks[b];
    if (pos + count <= first.scores.length) {
      for (let i = pos; i < pos + count; i++) removed(first.members[i]);
      first.scores.splice(pos, count);
      first.members.splice(pos, count);
      this.shrunk(b, count);
      return count;
    }
    // Across blocks: cut each one, drop those that empty, then rebuild once.
    let left = count;
    while (left > 0) {
      const blk = blocks[b];
      const take = Math.min(left, blk.scores.length - pos);
      for (let i = pos; i < pos + take; i++) removed(blk.members[i]);
      blk.scores.splice(pos, take);
      blk.members.splice(pos, take);
      left -= take;
      if (blk.scores.length === 0) blocks.splice(b, 1);
      else b++;
      pos = 0;
    }
    this.mergeSmall(b - 2);
    this.rebuild();
    return count;
  }

  /** After a range delete: merge a small block at the cut with its neighbour when they fit. */
  private mergeSmall(b: number): void {
    const blocks = this.blocks;
    for (let i = Math.max(0, b); i <= b + 1; i++) {
      if (i + 1 >= blocks.length) break;
      const x = blocks[i];
      const y = blocks[i + 1];
      if ((x.scores.length < BLOCK_MIN || y.scores.length < BLOCK_MIN) && x.scores.length + y.scores.length <= BLOCK_MAX) {
        for (let k = 0; k < y.scores.length; k++) {
          x.scores.push(y.scores[k]);
          x.members.push(y.members[k]);
        }
        blocks.splice(i + 1, 1);
        return;
      }
    }
  }

  // ---- score ranges ---------------------------------------------------------

  /**
   * The length of the prefix of the order whose keys all satisfy `holds` (which must be true
   * for a prefix and false after it): a binary search over the blocks' last keys, then one
   * inside the block where it turns false.
   */
  private countWhile<T>(lastKeys: T[], keysOf: (b: Block) => T[], holds: (key: T) => boolean): number {
    const nb = this.blocks.length;
    let lo = 0;
    let hi = nb;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (holds(lastKeys[mid])) lo = mid + 1;
      else hi = mid;
    }
    if (lo === nb) return this.length;
    const keys = keysOf(this.blocks[lo]);
    let a = 0;
    let z = keys.length;
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (holds(keys[mid])) a = mid + 1;
      else z = mid;
    }
    return this.prefix(lo) + a;
  }

  /** Number of elements whose score is below the range (not >= min). */
  countBelowScore(r: ScoreRange): number {
    return this.countWhile(this.lastScores, scoresOf, (s) => !scoreGteMin(s, r));
  }

  /** Number of elements up to the end of the range (score <= max). */
  countUpToScore(r: ScoreRange): number {
    return this.countWhile(this.lastScores, scoresOf, (s) => scoreLteMax(s, r));
  }

  /**
   * Visit the elements with min <= score < max in order: the first one found by binary search
   * (over the blocks' last scores, then inside the block), then a walk until the score reaches
   * max. No ranks, no predicate callbacks: a geo search does this for each of its cells.
   * `fn` must not change the index.
   */
  visitScoreSpan(min: number, max: number, fn: IndexVisitor): void {
    const blocks = this.blocks;
    const lastScores = this.lastScores;
    let b = 0;
    let hi = blocks.length;
    while (b < hi) {
      const mid = (b + hi) >>> 1;
      if (lastScores[mid] < min) b = mid + 1;
      else hi = mid;
    }
    if (b === blocks.length) return;
    let scores = blocks[b].scores;
    let pos = 0;
    hi = scores.length;
    while (pos < hi) {
      const mid = (pos + hi) >>> 1;
      if (scores[mid] < min) pos = mid + 1;
      else hi = mid;
    }
    for (;;) {
      const members = blocks[b].members;
      for (; pos < scores.length; pos++) {
        const score = scores[pos];
        if (!(score < max)) return;
        fn(members[pos], score);
      }
      if (++b === blocks.length) return;
      scores = blocks[b].scores;
      pos = 0;
    }
  }

  /** [lo, hi): the ranks inside a score range (lo >= hi when none). */
  scoreRanks(r: ScoreRange): [number, number] {
    if (scoreRangeEmpty(r) || this.length === 0) return [0, 0];
    return [this.countBelowScore(r), this.countUpToScore(r)];
  }

  // ---- lex ranges -------------------------------------------------------------

  /** Number of elements before the lex range (members not >= min), assuming member order. */
  countBelowLex(r: LexRange): number {
    return this.countWhile(this.lastMembers, membersOf, (m) => !lexGteMin(m, r));
  }

  /** Number of elements up to the end of the lex range (members <= max). */
  countUpToLex(r: LexRange): number {
    return this.countWhile(this.lastMembers, membersOf, (m) => lexLteMax(m, r));
  }

  /**
   * [lo, hi): the ranks inside a lex range (lo >= hi when none). Like zslIsInLexRange, the
   * last member must reach min and the first must not pass max.
   */
  lexRanks(r: LexRange): [number, number] {
    const n = this.length;
    if (n === 0 || lexRangeEmpty(r)) return [0, 0];
    if (!lexGteMin(this.memberAt(n - 1), r) || !lexLteMax(this.memberAt(0), r)) return [0, 0];
    return [this.countBelowLex(r), this.countUpToLex(r)];
  }

  // ---- checks ---------------------------------------------------------------------

  /** Check order, block sizes, last keys and the Fenwick tree (tests). Throws on the first fault. */
  verify(): void {
    let n = 0;
    let prevS = 0;
    let prevM: string | null = null;
    for (let b = 0; b < this.blocks.length; b++) {
      const blk = this.blocks[b];
      const len = blk.scores.length;
      if (len === 0 || len > BLOCK_MAX || blk.members.length !== len) throw new Error(`index: bad block ${b} size ${len}`);
      if (this.prefix(b) !== n) throw new Error(`index: bad prefix count at block ${b}`);
      for (let i = 0; i < len; i++) {
        const s = blk.scores[i];
        const m = blk.members[i];
        if (Number.isNaN(s)) throw new Error('index: NaN score');
        if (prevM !== null && !keyLess(prevS, prevM, s, m)) throw new Error('index: bad order');
        prevS = s;
        prevM = m;
      }
      if (this.lastScores[b] !== blk.scores[len - 1] || this.lastMembers[b] !== blk.members[len - 1]) throw new Error(`index: bad last key of block ${b}`);
      n += len;
    }
    if (n !== this.length) throw new Error('index: bad length');
    for (let r = 0; r < n; r += Math.max(1, n >> 6)) {
      const m = this.memberAt(r);
      if (this.rankOf(this.scoreAt(r), m) !== r) throw new Error(`index: rank ${r} does not round-trip`);
    }
  }
}
