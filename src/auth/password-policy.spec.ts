import { generateAcceptablePassword, isCommonPassword, passwordProblem } from './password-policy';

describe('password policy', () => {
  it('wants at least 10 characters', () => {
    expect(passwordProblem('Xk9#mQ2vL', 'zhang.san')).toBe('PASSWORD_TOO_SHORT');
    expect(passwordProblem('Xk9#mQ2vLp', 'zhang.san')).toBeNull();
    // characters, not UTF-16 units: ten Chinese characters are ten
    expect(passwordProblem('连南瑶族自治县教育局', 'zhang.san')).toBeNull();
    expect(passwordProblem('连南瑶族自治县教育', 'zhang.san')).toBe('PASSWORD_TOO_SHORT');
  });

  it('refuses the username, inside the password and in any case', () => {
    expect(passwordProblem('liannan.jijian', 'liannan.jijian')).toBe('PASSWORD_CONTAINS_USERNAME');
    expect(passwordProblem('My-LIANNAN.JIJIAN-7', 'liannan.jijian')).toBe(
      'PASSWORD_CONTAINS_USERNAME',
    );
    expect(passwordProblem('Test-Admin-Pass-1', 'admin')).toBe('PASSWORD_CONTAINS_USERNAME');
    expect(passwordProblem('Test-Admin-Pass-1', 'liannan.jijian')).toBeNull();
  });

  it('refuses common passwords, their case and their symbol-for-letter variants', () => {
    for (const p of [
      'password123',
      'PASSWORD123',
      'Password123',
      'p@ssw0rd123',
      'qwertyuiop',
      '1234567890',
      '1qaz2wsx3edc',
      'woaini1314',
    ])
      expect([p, passwordProblem(p, 'someone')]).toEqual([p, 'PASSWORD_TOO_COMMON']);
    expect(isCommonPassword('password1')).toBe(true);
    expect(isCommonPassword('Abc12345')).toBe(true);
    expect(isCommonPassword('Initial-Pass-2026')).toBe(false);
    expect(isCommonPassword('Zhang-San-2026')).toBe(false);
  });

  it('generates passwords that pass for the user', () => {
    for (let i = 0; i < 20; i++)
      expect(passwordProblem(generateAcceptablePassword('admin'), 'admin')).toBeNull();
  });
});
