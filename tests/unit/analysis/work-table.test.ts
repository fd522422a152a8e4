/**
 * The work tables' two forms: TEMP … ON COMMIT DROP on PGlite, UNLOGGED tables on PostgreSQL that the
 * pipeline drops itself before commit — so its DROP statement must name every table the DDL creates.
 */
import { describe, expect, it } from 'vitest';
import { ANALYSIS_SQL } from '../../../api/src/analysis/analysis.repository.ts';
import { dropWorkTablesSql, workTableDdl, workTableMode } from '../../../api/src/analysis/work-table.ts';

const created = (ddl: string) => [...ddl.matchAll(/CREATE (?:TEMP|UNLOGGED) TABLE (\w+)/g)].map((m) => m[1]);

describe('work tables', () => {
  it('each backend gets its form', () => {
    expect(workTableMode('pglite')).toBe('temp');
    expect(workTableMode('postgis')).toBe('unlogged');
  });

  it('temp mode runs the file as written', () => {
    expect(workTableDdl(ANALYSIS_SQL.createWorkTables, 'temp')).toBe(ANALYSIS_SQL.createWorkTables);
  });

  it('unlogged mode creates the same tables, none temporary or dropped at commit', () => {
    const ddl = workTableDdl(ANALYSIS_SQL.createWorkTables, 'unlogged');
    expect(created(ddl)).toEqual(created(ANALYSIS_SQL.createWorkTables));
    expect(created(ddl).length).toBeGreaterThan(10);
    const statements = ddl.replace(/--.*$/gm, '');
    expect(statements).not.toMatch(/\bTEMP\b|ON COMMIT DROP/);
  });

  it('the drop statement names every work table (a table left out would outlive its run)', () => {
    const drop = dropWorkTablesSql(ANALYSIS_SQL.createWorkTables);
    const names = drop.replace('DROP TABLE IF EXISTS', '').replace(';', '').split(',').map((s) => s.trim());
    expect(names.sort()).toEqual(created(ANALYSIS_SQL.createWorkTables).sort());
  });

  it('refuses a file that lost its drop statement', () => {
    expect(() => dropWorkTablesSql('CREATE TEMP TABLE lw_x (a int);')).toThrow(/DROP TABLE IF EXISTS/);
  });
});
