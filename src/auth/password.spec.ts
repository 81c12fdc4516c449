import { generatePassword, hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password only, with a salt per hash', async () => {
    const h1 = await hashPassword('Secret-Pass-1');
    const h2 = await hashPassword('Secret-Pass-1');
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain('Secret-Pass-1');
    await expect(verifyPassword('Secret-Pass-1', h1)).resolves.toBe(true);
    await expect(verifyPassword('Secret-Pass-2', h1)).resolves.toBe(false);
    await expect(verifyPassword('x', 'garbage')).resolves.toBe(false);
  });

  it('generates 20 letters and digits', () => {
    const g = generatePassword();
    expect(g).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(generatePassword()).not.toBe(g);
  });
});
