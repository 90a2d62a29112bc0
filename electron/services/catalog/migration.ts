import type Database from 'better-sqlite3';

/** One numbered schema change. Files are named NNNN-name.ts and never edited once released. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
