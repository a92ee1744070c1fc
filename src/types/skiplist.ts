// A skiplist ordered by (score, member), with a span per level so ranks cost O(log N):
// the ordered half of the "skiplist" zset encoding (zset.ts pairs it with a member index).
//
// Same algorithm as Valkey's zskiplist (William Pugh's skiplist with repeated scores, ties
// broken by member bytes, a backward pointer on level 0, P = 1/4, at most 32 levels).
// Ranks are 1-based inside this module, as in Valkey.

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

export const SKIPLIST_MAXLEVEL = 32;

export class SkipNode {
  /**
   * Per level: lv[2 * i] is the next node on level i (or null), lv[2 * i + 1] the number of
   * level-0 steps that link spans. One array per node keeps nodes small.
   */
  lv: (SkipNode | null | number)[];
  backward: SkipNode | null = null;

  constructor(
    public member: string,
    public score: number,
    level: number,
  ) {
    const lv = new Array<SkipNode | null | number>(level * 2);
    for (let i = 0; i < level; i++) {
      lv[2 * i] = null;
      lv[2 * i + 1] = 0;
    }
    this.lv = lv;
  }

  get level(): number {
    return this.lv.length >> 1;
  }

  next(i: number): SkipNode | null {
    return this.lv[2 * i] as SkipNode | null;
  }

  span(i: number): number {
    return this.lv[2 * i + 1] as number;
  }

  setNext(i: number, n: SkipNode | null): void {
    this.lv[2 * i] = n;
  }

  setSpan(i: number, s: number): void {
    this.lv[2 * i + 1] = s;
  }
}

/** Is node `x` ordered before (score, member)? */
function before(x: SkipNode, score: number, member: string): boolean {
  return x.score < score || (x.score === score && x.member < member);
}

function randomLevel(): number {
  let level = 1;
  while (level < SKIPLIST_MAXLEVEL && Math.random() < 0.25) level++;
  return level;
}

/** Scratch update path, reused by every operation (they are synchronous). */
const update: SkipNode[] = new Array(SKIPLIST_MAXLEVEL);
const rankAt: number[] = new Array(SKIPLIST_MAXLEVEL).fill(0);

export class SkipList {
  readonly header = new SkipNode('', 0, SKIPLIST_MAXLEVEL);
  tail: SkipNode | null = null;
  length = 0;
  level = 1;

  first(): SkipNode | null {
    return this.header.next(0);
  }

  /** Insert a new (score, member); the caller guarantees the member is not present. */
  insert(score: number, member: string): SkipNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1];
      let nx = x.next(i);
      while (nx !== null && before(nx, score, member)) {
        rankAt[i] += x.span(i);
        x = nx;
        nx = x.next(i);
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        this.header.setSpan(i, this.length);
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      node.setNext(i, u.next(i));
      u.setNext(i, node);
      node.setSpan(i, u.span(i) - (rankAt[0] - rankAt[i]));
      u.setSpan(i, rankAt[0] - rankAt[i] + 1);
    }
    for (let i = level; i < this.level; i++) update[i].setSpan(i, update[i].span(i) + 1);
    node.backward = update[0] === this.header ? null : update[0];
    const n0 = node.next(0);
    if (n0 !== null) n0.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlink `x` given the update path to it. */
  private unlink(x: SkipNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next(i) === x) {
        u.setSpan(i, u.span(i) + x.span(i) - 1);
        u.setNext(i, x.next(i));
      } else {
        u.setSpan(i, u.span(i) - 1);
      }
    }
    const n0 = x.next(0);
    if (n0 !== null) n0.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.next(this.level - 1) === null) this.level--;
    this.length--;
  }

  /** Fill `update` with the last node before (score, member) on every level. */
  private findPath(score: number, member: string): SkipNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && before(nx, score, member)) {
        x = nx;
        nx = x.next(i);
      }
      update[i] = x;
    }
    return x;
  }

  /** Remove `node` (which must be in the list). */
  delete(node: SkipNode): void {
    const x = this.findPath(node.score, node.member);
    if (x.next(0) !== node) throw new Error('skiplist: node not found');
    this.unlink(node);
  }

  /**
   * Change a node's score. Stays in place when the order allows it, otherwise the node is
   * unlinked and inserted again. Returns the node now holding the member.
   */
  updateScore(node: SkipNode, score: number): SkipNode {
    const back = node.backward;
    const next = node.next(0);
    if ((back === null || back.score < score) && (next === null || next.score > score)) {
      node.score = score;
      return node;
    }
    this.delete(node);
    return this.insert(score, node.member);
  }

  /** 1-based rank of (score, member), 0 when absent. */
  rankOf(score: number, member: string): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && (nx.score < score || (nx.score === score && nx.member <= member))) {
        rank += x.span(i);
        x = nx;
        nx = x.next(i);
      }
      if (x !== this.header && x.score === score && x.member === member) return rank;
    }
    return 0;
  }

  /** The node at 1-based `rank`, or null. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && traversed + x.span(i) <= rank) {
        traversed += x.span(i);
        x = nx;
        nx = x.next(i);
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  // ---- score ranges -----------------------------------------------------

  /** zslIsInRange: could any element be in the range? */
  inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const tail = this.tail;
    const first = this.first();
    return tail !== null && first !== null && scoreGteMin(tail.score, r) && scoreLteMax(first.score, r);
  }

  /** Number of elements before the range (scores below min). */
  private countBelow(r: ScoreRange): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && !scoreGteMin(nx.score, r)) {
        rank += x.span(i);
        x = nx;
        nx = x.next(i);
      }
    }
    return rank;
  }

  /** Number of elements up to the end of the range (scores <= max). */
  private countUpTo(r: ScoreRange): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && scoreLteMax(nx.score, r)) {
        rank += x.span(i);
        x = nx;
        nx = x.next(i);
      }
    }
    return rank;
  }

  /**
   * zslNthInRange: for n >= 0 the (n+1)-th element in the range from its start, for n < 0 the
   * |n|-th from its end; null when there is none.
   */
  nthInScoreRange(r: ScoreRange, n: number): SkipNode | null {
    if (!this.inScoreRange(r)) return null;
    if (n >= 0) {
      const x = this.byRank(this.countBelow(r) + 1 + n);
      return x !== null && scoreLteMax(x.score, r) ? x : null;
    }
    const x = this.byRank(this.countUpTo(r) + 1 + n);
    return x !== null && scoreGteMin(x.score, r) ? x : null;
  }

  /** ZCOUNT */
  countInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return 0;
    const n = this.countUpTo(r) - this.countBelow(r);
    return n > 0 ? n : 0;
  }

  /** zslDeleteRangeByScore: remove the elements in range, calling `removed` for each. */
  deleteScoreRange(r: ScoreRange, removed: (node: SkipNode) => void): number {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && !scoreGteMin(nx.score, r)) {
        x = nx;
        nx = x.next(i);
      }
      update[i] = x;
    }
    let cur = x.next(0);
    let count = 0;
    while (cur !== null && scoreLteMax(cur.score, r)) {
      const next = cur.next(0);
      this.unlink(cur);
      removed(cur);
      count++;
      cur = next;
    }
    return count;
  }

  // ---- lex ranges -----------------------------------------------------------

  /** zslIsInLexRange */
  inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const tail = this.tail;
    const first = this.first();
    return tail !== null && first !== null && lexGteMin(tail.member, r) && lexLteMax(first.member, r);
  }

  private countBelowLex(r: LexRange): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && !lexGteMin(nx.member, r)) {
        rank += x.span(i);
        x = nx;
        nx = x.next(i);
      }
    }
    return rank;
  }

  private countUpToLex(r: LexRange): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && lexLteMax(nx.member, r)) {
        rank += x.span(i);
        x = nx;
        nx = x.next(i);
      }
    }
    return rank;
  }

  /** zslNthInLexRange, as nthInScoreRange. */
  nthInLexRange(r: LexRange, n: number): SkipNode | null {
    if (!this.inLexRange(r)) return null;
    if (n >= 0) {
      const x = this.byRank(this.countBelowLex(r) + 1 + n);
      return x !== null && lexLteMax(x.member, r) ? x : null;
    }
    const x = this.byRank(this.countUpToLex(r) + 1 + n);
    return x !== null && lexGteMin(x.member, r) ? x : null;
  }

  /** ZLEXCOUNT */
  countInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return 0;
    const n = this.countUpToLex(r) - this.countBelowLex(r);
    return n > 0 ? n : 0;
  }

  /** zslDeleteRangeByLex */
  deleteLexRange(r: LexRange, removed: (node: SkipNode) => void): number {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && !lexGteMin(nx.member, r)) {
        x = nx;
        nx = x.next(i);
      }
      update[i] = x;
    }
    let cur = x.next(0);
    let count = 0;
    while (cur !== null && lexLteMax(cur.member, r)) {
      const next = cur.next(0);
      this.unlink(cur);
      removed(cur);
      count++;
      cur = next;
    }
    return count;
  }

  // ---- rank ranges ----------------------------------------------------------

  /** zslDeleteRangeByRank: remove 1-based ranks start..end (inclusive). */
  deleteRankRange(start: number, end: number, removed: (node: SkipNode) => void): number {
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next(i);
      while (nx !== null && traversed + x.span(i) < start) {
        traversed += x.span(i);
        x = nx;
        nx = x.next(i);
      }
      update[i] = x;
    }
    traversed++;
    let cur = x.next(0);
    let count = 0;
    while (cur !== null && traversed <= end) {
      const next = cur.next(0);
      this.unlink(cur);
      removed(cur);
      count++;
      traversed++;
      cur = next;
    }
    return count;
  }

  /** Check the spans and links (tests). Throws on the first inconsistency. */
  verify(): void {
    let n = 0;
    let prev: SkipNode | null = null;
    for (let x = this.first(); x !== null; x = x.next(0)) {
      n++;
      if (x.backward !== prev) throw new Error('skiplist: bad backward link');
      if (prev !== null && !before(prev, x.score, x.member)) throw new Error('skiplist: bad order');
      prev = x;
    }
    if (n !== this.length || this.tail !== prev) throw new Error('skiplist: bad length or tail');
    for (let i = 0; i < this.level; i++) {
      let rank = 0;
      for (let x: SkipNode | null = this.header; x !== null; ) {
        const nx = x.next(i);
        if (nx === null) break;
        rank += x.span(i);
        if (this.rankOf(nx.score, nx.member) !== rank) throw new Error(`skiplist: bad span on level ${i}`);
        x = nx;
      }
    }
  }
}
