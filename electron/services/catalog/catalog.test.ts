import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/contract/index.js';
import { tempDir } from '../../test-support/temp.js';
import { Catalog } from './catalog.js';

describe('Catalog', () => {
  it('opens in WAL mode and records audit entries with the change, announcing them after commit', () => {
    const seen: AuditEntry[] = [];
    const cat = Catalog.open(join(tempDir(), 'catalog.db'), { actor: 'ana', onAudit: (e) => seen.push(e) });
    expect(cat.db.pragma('journal_mode', { simple: true })).toBe('wal');
    cat.write((tx) => {
      tx.db.prepare(`INSERT INTO workspace_meta (key, value) VALUES ('name', 'w')`).run();
      tx.audit({ action: 'workspace.renamed', subject: 'w', details: { to: 'w' } });
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ actor: 'ana', action: 'workspace.renamed', subject: 'w', details: { to: 'w' } });
    expect(cat.listAudit({ limit: 10 })).toEqual(seen);
    cat.close();
  });

  it('rolls back the change and its audit entries together', () => {
    const seen: AuditEntry[] = [];
    const cat = Catalog.open(join(tempDir(), 'catalog.db'), { actor: 'ana', onAudit: (e) => seen.push(e) });
    expect(() =>
      cat.write((tx) => {
        tx.db.prepare(`INSERT INTO workspace_meta (key, value) VALUES ('name', 'w')`).run();
        tx.audit({ action: 'workspace.renamed' });
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(cat.getMeta('name')).toBeUndefined();
    expect(cat.listAudit({ limit: 10 })).toEqual([]);
    expect(seen).toEqual([]);
    cat.close();
  });

  it('pages the audit log backwards and filters by action', () => {
    const cat = Catalog.open(join(tempDir(), 'catalog.db'), { actor: 'ana' });
    for (let i = 0; i < 5; i++) cat.write((tx) => tx.audit({ action: i % 2 ? 'odd' : 'even', subject: String(i) }));
    const firstPage = cat.listAudit({ limit: 2 });
    expect(firstPage.map((e) => e.subject)).toEqual(['4', '3']);
    expect(cat.listAudit({ limit: 2, beforeId: firstPage[1]!.id }).map((e) => e.subject)).toEqual(['2', '1']);
    expect(cat.listAudit({ limit: 10, action: 'odd' }).map((e) => e.subject)).toEqual(['3', '1']);
    cat.close();
  });

  it('refuses a file that is not a SQLite catalog with a remedy', () => {
    const path = join(tempDir(), 'catalog.db');
    writeFileSync(path, 'this is not a database, just text '.repeat(100));
    expect(() => Catalog.open(path, { actor: 'x' })).toThrow(expect.objectContaining({ code: 'WORKSPACE_INVALID' }));
  });
});
