import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from '../../../api/src/config.ts';

describe('config', () => {
  it('has a default for every optional key', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./.landwatch');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demo).toBe(false);
  });

  it('reads the environment, and overrides win over it', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', LANDWATCH_DEMO: '1' }, { port: '9090' });
    expect(config.port).toBe(9090);
    expect(config.databaseUrl).toBe('postgres://u@h/db');
    expect(config.demo).toBe(true);
  });

  it('names each bad key and the value it got', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: .*"eighty"/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('describes every key with an env name and a description', () => {
    const rows = describeSettings();
    expect(rows.map((r) => r.env)).toContain('LANDWATCH_DATA_DIR');
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    expect(rows.find((r) => r.env === 'PORT')?.default).toBe('3000');
  });
});
