// The multi-part AOF manifest (Valkey 7+): which files make up the AOF, in load order.
//
//   file appendonly.aof.2.base.rdb seq 2 type b
//   file appendonly.aof.1.incr.aof seq 1 type h
//   file appendonly.aof.3.incr.aof seq 3 type i
//
// One BASE (a snapshot of the last rewrite), HISTORY files waiting to be deleted, then the
// INCR files written since, in order. File names that need it are quoted like sdscatrepr;
// the loader splits lines like sdssplitargs and is as strict as Valkey's.

import { reprArg } from '../util/repr';
import { splitArgs } from '../server/config';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

/** A manifest that cannot be loaded: Valkey logs these lines and exits. */
export class AofManifestError extends Error {
  constructor(readonly reason: string, readonly lineNo: number, readonly line: string | null) {
    super(reason);
  }
}

/** Longest manifest line Valkey reads (MANIFEST_MAX_LINE). */
const MAX_LINE = 1024;

export class AofManifest {
  base: AofInfo | null = null;
  history: AofInfo[] = [];
  incr: AofInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;

  clone(): AofManifest {
    const m = new AofManifest();
    m.base = this.base ? { ...this.base } : null;
    m.history = this.history.map((a) => ({ ...a }));
    m.incr = this.incr.map((a) => ({ ...a }));
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    return m;
  }

  get isEmpty(): boolean {
    return this.base === null && this.incr.length === 0;
  }

  /** The manifest text: base first, then history, then incr files. */
  format(): string {
    let out = '';
    const all = [...(this.base ? [this.base] : []), ...this.history, ...this.incr];
    for (const ai of all) out += `file ${quoteName(ai.name)} seq ${ai.seq} type ${ai.type}\n`;
    return out;
  }

  /** A new BASE name (the previous base becomes history): `<appendfilename>.<seq>.base.rdb|aof`. */
  newBase(appendFilename: string, rdbPreamble: boolean): string {
    if (this.base) {
      this.base.type = 'h';
      this.history.unshift(this.base);
    }
    this.baseSeq++;
    const name = `${appendFilename}.${this.baseSeq}.base.${rdbPreamble ? 'rdb' : 'aof'}`;
    this.base = { name, seq: this.baseSeq, type: 'b' };
    return name;
  }

  /** A new INCR file at the end of the list: `<appendfilename>.<seq>.incr.aof`. */
  newIncr(appendFilename: string): string {
    this.incrSeq++;
    const name = `${appendFilename}.${this.incrSeq}.incr.aof`;
    this.incr.push({ name, seq: this.incrSeq, type: 'i' });
    return name;
  }

  /** The INCR file to append to (a new one when there is none). */
  lastIncr(appendFilename: string): string {
    if (this.incr.length === 0) return this.newIncr(appendFilename);
    return this.incr[this.incr.length - 1].name;
  }

  /** After a rewrite: the INCR files it covers become history (all but the open one). */
  markRewrittenIncrAsHistory(keepLast: boolean): void {
    const keep = keepLast && this.incr.length > 0 ? this.incr.slice(-1) : [];
    const old = keepLast ? this.incr.slice(0, -1) : this.incr;
    for (let i = old.length - 1; i >= 0; i--) this.history.unshift({ ...old[i], type: 'h' });
    this.incr = keep;
  }

  /** Parse manifest text (aofLoadManifestFromFile). Throws AofManifestError. */
  static parse(text: string): AofManifest {
    const m = new AofManifest();
    if (text.length === 0) throw new AofManifestError('Found an empty AOF manifest', 0, null);
    let maxSeq = 0;
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i];
      const lineNo = i + 1;
      if (raw.startsWith('#')) continue;
      // fgets() into a MAX_LINE buffer: a line that does not end there (or the file's last
      // line without a newline) is reported as too long, as Valkey does.
      if (raw.length > MAX_LINE || !raw.endsWith('\n')) {
        throw new AofManifestError('The AOF manifest file contains too long line', lineNo, null);
      }
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line.length === 0) throw new AofManifestError('Invalid AOF manifest file format', lineNo, line);
      const argv = splitArgs(line);
      if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
        throw new AofManifestError('Invalid AOF manifest file format', lineNo, line);
      }
      const ai = parseInfo(argv, lineNo, line);
      if (ai.type === 'b') {
        if (m.base) throw new AofManifestError('Found duplicate base file information', lineNo, line);
        m.base = ai;
        m.baseSeq = ai.seq;
      } else if (ai.type === 'h') {
        m.history.push(ai);
      } else if (ai.type === 'i') {
        if (ai.seq <= maxSeq) throw new AofManifestError('Found a non-monotonic sequence number', lineNo, line);
        m.incr.push(ai);
        m.incrSeq = ai.seq;
        maxSeq = ai.seq;
      } else {
        throw new AofManifestError('Unknown AOF file type', lineNo, line);
      }
    }
    return m;
  }
}

function parseInfo(argv: string[], lineNo: number, line: string): AofInfo {
  let name: string | null = null;
  let seq = 0;
  let type = '';
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].toLowerCase();
    if (k === 'file') {
      name = argv[i + 1];
      if (name.includes('/') || name.includes('\\')) throw new AofManifestError("File can't be a path, just a filename", lineNo, line);
    } else if (k === 'seq') {
      seq = atoll(argv[i + 1]);
    } else if (k === 'type') {
      type = argv[i + 1].charAt(0);
    }
    // other keys are ignored, for forward compatibility
  }
  if (!name || !seq || !type) throw new AofManifestError('Invalid AOF manifest file format', lineNo, line);
  return { name, seq, type: type as AofFileType };
}

/** C atoll: leading blanks, optional sign, digits; 0 when there are none. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/** Lines with their terminating newline (fgets), so a missing last newline is visible. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** sdsneedsrepr: quote names with blanks, quotes, backslashes or unprintable bytes. */
function quoteName(name: string): string {
  return /^[\x21-\x7e]*$/.test(name) && !/["\\]/.test(name) ? name : reprArg(name);
}
