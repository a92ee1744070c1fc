// WATCH: which clients watch which keys, and marking their transactions dirty when a key changes.
//
// Each watched (db, key) pair of a client is one WatchedKey, held both in the client's list
// (c.watched) and in the database's index of watchers (db.watchedKeys: key -> Set<WatchedKey>).
// A key that was already logically expired when it was WATCHed is flagged: its later deletion
// is no change (it was already "gone"), and EXEC does not fail because it is expired.

import type { Database } from '../db/database';
import { type Client, CF_DIRTY_CAS } from './client';

export interface WatchedKey {
  client: Client;
  db: Database;
  key: string;
  /** the key existed but was already expired when WATCH ran */
  expired: boolean;
}

function watchersOf(db: Database, key: string): Set<WatchedKey> | undefined {
  return db.watchedKeys.get(key) as Set<WatchedKey> | undefined;
}

export class Watchers {
  /** distinct (db, key) pairs watched by at least one client (INFO total_watched_keys) */
  totalWatchedKeys = 0;
  /** clients watching at least one key (INFO watching_clients) */
  watchingClients = 0;

  watch(c: Client, db: Database, key: string): void {
    let set = watchersOf(db, key);
    if (set === undefined) {
      set = new Set();
      db.watchedKeys.set(key, set as Set<unknown>);
      this.totalWatchedKeys++;
    } else {
      for (const wk of set) if (wk.client === c) return;
    }
    if (c.watched.length === 0) this.watchingClients++;
    const wk: WatchedKey = { client: c, db, key, expired: db.isExpired(key) };
    set.add(wk);
    c.watched.push(wk);
  }

  unwatchAll(c: Client): void {
    if (c.watched.length === 0) return;
    for (const wk of c.watched as WatchedKey[]) {
      const set = watchersOf(wk.db, wk.key);
      if (set === undefined) continue;
      set.delete(wk);
      if (set.size === 0) {
        wk.db.watchedKeys.delete(wk.key);
        this.totalWatchedKeys--;
      }
    }
    c.watched = [];
    this.watchingClients--;
  }

  /** EXEC fails if a watched key expired since WATCH (keys already expired then do not count). */
  anyWatchedKeyExpired(c: Client): boolean {
    for (const wk of c.watched as WatchedKey[]) {
      if (!wk.expired && wk.db.isExpired(wk.key)) return true;
    }
    return false;
  }

  /** A key changed: every client watching it will fail its EXEC. */
  touch(db: Database, key: string): void {
    if (db.watchedKeys.size === 0) return;
    const set = watchersOf(db, key);
    if (set === undefined) return;
    const dirtied: Client[] = [];
    for (const wk of set) {
      // Deleting a key that was already expired at WATCH time is no logical change; from now
      // on the key is simply absent, so clear the flag.
      if (wk.expired && !db.data.has(key)) {
        wk.expired = false;
        continue;
      }
      dirtied.push(wk.client);
    }
    // The transaction can only fail now: drop its queue and its watches at once.
    for (const c of dirtied) {
      this.markDirty(c);
      this.unwatchAll(c);
    }
  }

  /**
   * FLUSHDB / FLUSHALL / SWAPDB: `emptied` loses its contents; for SWAPDB `replacedWith` is the
   * database whose contents take its place. A watched key is touched if it exists on either side,
   * except for the cases where nothing changes logically (an expired key replaced by nothing or
   * by another expired key, or nothing replaced by an expired key).
   */
  touchAllInDb(emptied: Database, replacedWith: Database | null = null): void {
    if (emptied.watchedKeys.size === 0) return;
    for (const [key, set] of emptied.watchedKeys) {
      const existsInEmptied = emptied.data.has(key);
      const existsInOther = replacedWith !== null && replacedWith.data.has(key);
      if (!existsInEmptied && !existsInOther) continue;
      for (const wk of set as Set<WatchedKey>) {
        if (wk.expired) {
          if (!existsInOther) {
            wk.expired = false; // expired key now deleted: no change
            continue;
          }
          if (replacedWith!.isExpired(key)) continue; // expired key stays expired
        } else if (!existsInEmptied && replacedWith!.isExpired(key)) {
          wk.expired = true; // nothing replaced by an expired key: no change
          continue;
        }
        this.markDirty(wk.client);
      }
    }
  }

  private markDirty(c: Client): void {
    c.flags |= CF_DIRTY_CAS;
    // The queued commands will never run: free them now (Valkey's resetClientMultiState).
    c.multiQueue = [];
  }
}
