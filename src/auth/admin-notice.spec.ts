import { firstAdminNotice, signInAddress } from './admin-notice';

describe('the first start’s framed block', () => {
  it('gives PUBLIC_URL as the sign-in address when it is set, else this machine’s port', () => {
    expect(signInAddress('http://127.0.0.1:3556', 'http://127.0.0.1:3556', 3556)).toBe(
      'http://127.0.0.1:3556/',
    );
    expect(signInAddress('https://jj.example.gov.cn/', 'https://jj.example.gov.cn', 3556)).toBe(
      'https://jj.example.gov.cn/',
    );
    expect(signInAddress(undefined, 'http://localhost:3556', 41234)).toBe(
      'http://localhost:41234/',
    );
    expect(signInAddress('  ', 'http://localhost:3556', 3556)).toBe('http://localhost:3556/');
    expect(firstAdminNotice('admin', 'Pw-1', 'http://127.0.0.1:3556/')).toContain(
      '登录地址：http://127.0.0.1:3556/',
    );
  });
});
