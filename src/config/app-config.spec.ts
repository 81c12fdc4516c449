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
      reportDueDay: 5,
    });
  });

  it('reads REPORT_DUE_DAY from 1 to 28', () => {
    expect(loadConfig({ REPORT_DUE_DAY: '10' }).reportDueDay).toBe(10);
    expect(() => loadConfig({ REPORT_DUE_DAY: '29' })).toThrow(
      'REPORT_DUE_DAY must be a whole number from 1 to 28, got "29"',
    );
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

  it('reads TRUST_PROXY as Express takes it: off by default, loopback, a hop count, addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'Loopback' }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.1/8/1', '300.1.1.1', '11'])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
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
