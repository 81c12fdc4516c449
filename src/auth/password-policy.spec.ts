import {
  charactersBeyondRuns,
  generateAcceptablePassword,
  isCommonPassword,
  passwordProblem,
} from './password-policy';

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

  it('refuses a common password or word with digits or symbols around it', () => {
    for (const p of [
      'Password2026',
      '2026password!',
      'Zhangsan123',
      'Woaini1314520',
      'Jiaoyuju123',
    ])
      expect([p, passwordProblem(p, 'lnx_wang')]).toEqual([p, 'PASSWORD_TOO_COMMON']);
    // a place name with a year is not on any list, and a word inside other letters is not the whole
    expect(passwordProblem('Liannan2026', 'lnx_wang')).toBeNull();
    expect(passwordProblem('Mypassword-Liannan', 'lnx_wang')).toBeNull();
  });

  it('refuses passwords made of repeats and runs (aaaa, 1234, abcd, qweqwe)', () => {
    for (const p of [
      'aaaaaaaaaa',
      '1111111111',
      '0123456789',
      '9876543210',
      'abcdefghij',
      'abcabcabcabc',
      'Aa12345678',
      'Abc1234567',
      'xyzxyzxyzxyz',
    ])
      expect([p, passwordProblem(p, 'lnx_wang')]).toEqual([p, 'PASSWORD_TOO_SIMPLE']);
    expect(charactersBeyondRuns('0123456789')).toBe(0);
    expect(charactersBeyondRuns('Aa12345678')).toBe(2);
    expect(charactersBeyondRuns('Caiwu-2026')).toBe(10);
    expect(passwordProblem('Caiwu-2026', 'lnx_wang')).toBeNull();
  });

  it('a name of one or two characters is refused only as the whole password', () => {
    expect(passwordProblem('Good#Pass2026x', 'a')).toBeNull();
    expect(passwordProblem('Good#Pass2026x', 'go')).toBeNull();
    expect(passwordProblem('Good#Pass2026x', 'goo')).toBe('PASSWORD_CONTAINS_USERNAME');
  });

  it('generates passwords that pass for the user', () => {
    for (let i = 0; i < 20; i++)
      expect(passwordProblem(generateAcceptablePassword('admin'), 'admin')).toBeNull();
  });
});
