import { TooManyAttempts } from '../common/errors';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 0;
  const make = () =>
    new LoginThrottle(
      { perUserClient: 3, perClient: 5, windowMs: 60_000, baseDelayMs: 250, maxDelayMs: 4_000 },
      () => now,
    );
  beforeEach(() => (now = 1_000_000));

  it('blocks a username from one client after its limit, until the window passes; another client is not blocked', () => {
    const t = make();
    for (let i = 0; i < 3; i++) {
      t.check('Admin', 'ip1');
      t.failed('Admin', 'ip1');
      now += 1000;
    }
    expect(() => t.check('admin', 'ip1')).toThrow(TooManyAttempts);
    try {
      t.check('admin', 'ip1');
    } catch (e) {
      expect((e as TooManyAttempts).retryAfterSeconds).toBe(57);
    }
    expect(() => t.check('admin', 'ip2')).not.toThrow();
    now += 57_000;
    expect(() => t.check('admin', 'ip1')).not.toThrow();
  });

  it('slows a username failing from many clients with a growing, capped delay — never a block', () => {
    const t = make();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      delays.push(t.delayMs('admin'));
      expect(() => t.check('admin', `ip${i}`)).not.toThrow();
      t.failed('admin', `ip${i}`);
    }
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    t.begin('admin', 'ip99').succeeded();
    expect(t.delayMs('admin')).toBe(0);
  });

  it('takes the slot when an attempt begins: concurrent attempts are limited like sequential ones', () => {
    const t = make();
    const started = [];
    for (let i = 0; i < 3; i++) started.push(t.begin('admin', 'ip1'));
    expect(() => t.begin('admin', 'ip1')).toThrow(TooManyAttempts);
    // the delay counts attempts still in flight too
    expect(started.map((a) => a.delayMs)).toEqual([0, 0, 0]);
    expect(t.begin('admin', 'ip2').delayMs).toBe(250);
  });

  it('gives the slot back on success (and forgets the username) or when withdrawn; a failure keeps it', () => {
    const t = make();
    t.begin('admin', 'ip1'); // failed: kept
    t.begin('admin', 'ip1').withdrawn();
    t.begin('admin', 'ip1'); // failed: kept
    t.begin('admin', 'ip1').withdrawn();
    t.begin('admin', 'ip1'); // the third failure
    expect(() => t.begin('admin', 'ip1')).toThrow(TooManyAttempts);
    const other = make();
    other.begin('bob', 'ip1');
    other.begin('bob', 'ip1');
    other.begin('bob', 'ip1').succeeded();
    // bob's failures from ip1 are forgotten; the client's two stay, its slot for the success is back
    for (let i = 0; i < 3; i++) other.begin(`x${i}`, 'ip1');
    expect(() => other.begin('bob', 'ip1')).toThrow(TooManyAttempts);
  });

  it('blocks a client that tries many usernames', () => {
    const t = make();
    for (let i = 0; i < 5; i++) t.failed(`user${i}`, 'ip9');
    expect(() => t.check('someone-else', 'ip9')).toThrow(TooManyAttempts);
    expect(() => t.check('someone-else', 'ip8')).not.toThrow();
  });
});
