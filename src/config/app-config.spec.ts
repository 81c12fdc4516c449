import * as path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('needs no environment at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      dialect: 'sqlite',
      sqlitePath: path.resolve('data/tracker.sqlite'),
      databaseUrl: null,
      adminPassword: null,
      seedReferenceData: true,
      businessTimeZone: 'Asia/Shanghai',
      alertWebhooks: [],
    });
  });

  it('switches to PostgreSQL on a postgres URL and parses webhooks', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@127.0.0.1/db',
      ALERT_WEBHOOKS: 'http://a.test/x, wecom:https://b.test/y,dingtalk:https://c.test/z',
      SEED_REFERENCE_DATA: 'false',
    });
    expect(c.dialect).toBe('postgres');
    expect(c.seedReferenceData).toBe(false);
    expect(c.alertWebhooks).toEqual([
      { format: 'generic', url: 'http://a.test/x' },
      { format: 'wecom', url: 'https://b.test/y' },
      { format: 'dingtalk', url: 'https://c.test/z' },
    ]);
  });

  it('lists every bad variable at once', () => {
    expect(() =>
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        TZ_BUSINESS: 'Mars/Base',
        SEED_REFERENCE_DATA: 'maybe',
      }),
    ).toThrow(ConfigError);
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        TZ_BUSINESS: 'Mars/Base',
        SEED_REFERENCE_DATA: 'maybe',
      });
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'TZ_BUSINESS', 'SEED_REFERENCE_DATA'])
        expect(msg).toContain(name);
    }
  });
});
