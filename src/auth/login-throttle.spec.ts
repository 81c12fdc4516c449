import { TooManyAttempts } from '../common/errors';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 0;
  const make = () => new LoginThrottle({ perUser: 3, perClient: 5, windowMs: 60_000 }, () => now);
  beforeEach(() => (now = 1_000_000));

  it('blocks a username after its limit, until the window passes', () => {
    const t = make();
    for (let i = 0; i < 3; i++) {
      t.check('Admin', 'ip1');
      t.failed('Admin', 'ip1');
      now += 1000;
    }
    expect(() => t.check('admin', 'ip2')).toThrow(TooManyAttempts);
    try {
      t.check('admin', 'ip2');
    } catch (e) {
      expect((e as TooManyAttempts).retryAfterSeconds).toBe(57);
    }
    now += 57_000;
    expect(() => t.check('admin', 'ip2')).not.toThrow();
  });

  it('blocks a client that tries many usernames', () => {
    const t = make();
    for (let i = 0; i < 5; i++) t.failed(`user${i}`, 'ip9');
    expect(() => t.check('someone-else', 'ip9')).toThrow(TooManyAttempts);
    expect(() => t.check('someone-else', 'ip8')).not.toThrow();
  });

  it('forgets a username’s failures after a success', () => {
    const t = make();
    t.failed('u', 'a');
    t.failed('u', 'b');
    t.succeeded('u');
    t.failed('u', 'c');
    t.failed('u', 'd');
    expect(() => t.check('u', 'e')).not.toThrow();
  });
});
