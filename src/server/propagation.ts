// The one propagation channel. Commands (and expiry) add the effects they had, as commands;
// at the end of each top-level execution unit they go out to every reader (AOF, replicas,
// slot migration), wrapped in MULTI/EXEC when there is more than one. Readers get a SELECT
// whenever the database changes, tracked per reader.

export type PropagationReader = (dbid: number, argv: string[]) => void;

export class PropagationChannel {
  private readers: PropagationReader[] = [];
  private pending: { dbid: number; argv: string[] }[] = [];
  private depth = 0;

  /** Register a reader; returns a function that removes it. */
  subscribe(reader: PropagationReader): () => void {
    this.readers.push(reader);
    return () => {
      this.readers = this.readers.filter((r) => r !== reader);
    };
  }

  get hasReaders(): boolean {
    return this.readers.length > 0;
  }

  /** Start an execution unit (nested units join the outer one). */
  begin(): void {
    this.depth++;
  }

  add(dbid: number, argv: string[]): void {
    if (this.readers.length === 0) return;
    this.pending.push({ dbid, argv });
    if (this.depth === 0) this.flush();
  }

  end(): void {
    if (this.depth > 0) this.depth--;
    if (this.depth === 0) this.flush();
  }

  private flush(): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    this.pending = [];
    const wrap = ops.length > 1;
    for (const r of this.readers) {
      if (wrap) r(ops[0].dbid, ['MULTI']);
      for (const op of ops) r(op.dbid, op.argv);
      if (wrap) r(ops[ops.length - 1].dbid, ['EXEC']);
    }
  }
}
