import { generatePassword, hashPassword, isStrongEnough, verifyPassword } from './password';

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

  it('judges strength and generates strong passwords', () => {
    expect(isStrongEnough('short1')).toBe(false);
    expect(isStrongEnough('onlyletters')).toBe(false);
    expect(isStrongEnough('12345678')).toBe(false);
    expect(isStrongEnough('letters123')).toBe(true);
    const g = generatePassword();
    expect(isStrongEnough(g)).toBe(true);
    expect(g).toHaveLength(20);
  });
});
