import { DeliveryWorker } from '../../src/alerts/delivery.worker';
import { ReminderService } from '../../src/submissions/reminder.service';
import { createTestApp, regionIds, TestApp } from '../support/app';
import { RobotCall, startRobots } from '../support/robots';
import { DIALECT } from '../support/test-db';

const CITY_KEY = 'hy-late-wecom-key-4c2e91';
const COUNTY_KEY = 'lc-late-wecom-key-8d1f07';
const markdownOf = (c: RobotCall): string =>
  ((c.body.markdown as { content?: string } | undefined)?.content ?? '').trim();

/**
 * Issue 34, point 3: the day after the due date each county still missing gets its 催报 on its own
 * `reminders` channels, and the reviewer (the city) gets one message listing who is late — once,
 * however often the scheduler ticks that day.
 */
describe(`the late list to the reviewer the day after the due date (${DIALECT})`, () => {
  let t: TestApp;
  let robots: Awaited<ReturnType<typeof startRobots>>;

  beforeAll(async () => {
    robots = await startRobots({ secrets: {} });
    t = await createTestApp({ env: { ALERT_RETRY_BASE_MS: '0', ROBOT_ORIGINS: robots.origin } });
  });
  afterAll(async () => {
    await robots?.close();
    await t?.close();
  });

  it('sends the city one 【逾期未报】 message naming its late counties, and each county its 催报', async () => {
    const ids = await regionIds(t);
    const admin = t.http();
    for (const [region, key] of [
      ['河源市', CITY_KEY],
      ['龙川县', COUNTY_KEY],
    ] as const)
      await admin
        .put(`/api/regions/${ids[region]}/channels`)
        .send({ channels: [{ kind: 'wecom', url: robots.wecom(key), topics: ['reminders'] }] })
        .expect(200);
    const reminders = t.app.get(ReminderService);
    const worker = t.app.get(DeliveryWorker);
    // November's report is due Monday 2026-12-07; the day after, twice (a second tick that day)
    await reminders.runDue('2026-12-08');
    await reminders.runDue('2026-12-08');
    await worker.runOnce();
    const city = robots.calls.filter((c) => c.robot === CITY_KEY).map(markdownOf);
    expect(city).toEqual([
      [
        '### 【逾期未报】河源市 2026年11月月报',
        '> 2026年11月月报已于2026年12月7日截止，以下2个县区至今未报送：',
        '> 源城区、龙川县',
      ].join('\n'),
    ]);
    const county = robots.calls.filter((c) => c.robot === COUNTY_KEY).map(markdownOf);
    expect(county).toHaveLength(1);
    expect(county[0]).toContain(
      '龙川县2026年11月月报已于2026年12月7日截止，至今未报送，已逾期1天，请尽快报送。',
    );
    const log = (await admin.get(`/api/deliveries?regionId=${ids['河源市']}`).expect(200)).body
      .items as { topic: string; status: string; title: string }[];
    expect(log.filter((d) => d.title.startsWith('【逾期未报】'))).toEqual([
      expect.objectContaining({
        topic: 'reminders',
        status: 'sent',
        title: '【逾期未报】河源市 2026年11月月报',
      }),
    ]);
  });
});
