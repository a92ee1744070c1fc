// WATCH: which clients watch which keys, and marking them dirty when a key changes.

import type { Database } from '../db/database';
import { type Client, CF_DIRTY_CAS } from './client';

export class Watchers {
  /** number of WATCHed (db,key) pairs over all clients (INFO watching_clients, total_watched_keys) */
  totalWatchedKeys = 0;

  watch(c: Client, db: Database, key: string): void {
    for (const w of c.watched) if (w.db === db && w.key === key) return;
    let set = db.watchedKeys.get(key) as Set<Client> | undefined;
    if (!set) {
      set = new Set();
      db.watchedKeys.set(key, set as Set<unknown>);
    }
    set.add(c);
    c.watched.push({ db, key });
    this.totalWatchedKeys++;
  }

  unwatchAll(c: Client): void {
    for (const { db, key } of c.watched) {
      const set = db.watchedKeys.get(key);
      if (set) {
        set.delete(c);
        if (set.size === 0) db.watchedKeys.delete(key);
      }
      this.totalWatchedKeys--;
    }
    c.watched = [];
  }

  /** A key changed: every client watching it will fail its EXEC. */
  touch(db: Database, key: string): void {
    if (db.watchedKeys.size === 0) return;
    const set = db.watchedKeys.get(key) as Set<Client> | undefined;
    if (!set) return;
    for (const c of set) c.flags |= CF_DIRTY_CAS;
  }

  /** FLUSHDB/FLUSHALL/SWAPDB: every watched key of the db that exists (or will) is touched. */
  touchAllInDb(db: Database, onlyExisting: (key: string) => boolean): void {
    for (const [key, set] of db.watchedKeys) {
      if (!onlyExisting(key)) continue;
      for (const c of set as Set<Client>) c.flags |= CF_DIRTY_CAS;
    }
  }

  get watchingClients(): number {
    return 0;
  }
}
