import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import { Unauthenticated } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { LoginThrottle } from './login-throttle';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { AppSetting, User } from './user.entity';

interface TokenPayload {
  sub: number;
  username: string;
  role: Actor['role'];
  regionId: number | null;
}

// Verified against when the username does not exist, so a wrong name costs as much as a wrong password.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private secret: KeyObject | null = null;
  readonly throttle = new LoginThrottle();
  /** Users read for tokens, kept a few seconds: one query less on every request. */
  private readonly users = new Map<number, { user: User | null; until: number }>();
  private static readonly USER_TTL_MS = 5000;
  /**
   * Tokens already verified, with their claims: a token's signature does not change, so it is
   * checked once and then only its expiry. Bounded; emptied when full.
   */
  private readonly tokens = new Map<string, TokenPayload & { exp: number }>();
  private static readonly TOKENS_KEPT = 10_000;

  constructor(
    private readonly db: Database,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The signing secret: JWT_SECRET, or one generated once and kept in the database for all instances.
   * Held as a KeyObject: given a string, jsonwebtoken builds a key on every verify, first trying
   * createPublicKey, which throws for an HMAC secret — a fifth of a list request's CPU. @nestjs/jwt
   * types `secret` as string | Buffer but hands it to jsonwebtoken, which takes a KeyObject.
   */
  private async signingSecret(): Promise<Buffer> {
    return (this.secret ??= createSecretKey(Buffer.from(await this.secretText(), 'utf8'))) as unknown as Buffer;
  }

  private async secretText(): Promise<string> {
    if (this.config.jwtSecret) return this.config.jwtSecret;
    const repo = this.db.write.getRepository(AppSetting);
    let row = await repo.findOneBy({ key: 'jwt_secret' });
    if (!row) {
      await this.db.transaction((em) =>
        em.createQueryBuilder().insert().into(AppSetting).values({ key: 'jwt_secret', value: randomBytes(48).toString('base64') }).orIgnore().execute(),
      );
      row = await repo.findOneByOrFail({ key: 'jwt_secret' });
    }
    return row.value;
  }

  /** Creates the first admin on an empty user table, with ADMIN_PASSWORD or a generated password printed once. */
  async ensureFirstAdmin(): Promise<void> {
    await this.db.exclusively(async () => {
      if ((await this.db.write.getRepository(User).count()) > 0) return;
      const generated = this.config.adminPassword === null;
      const password = this.config.adminPassword ?? generatePassword();
      const passwordHash = await hashPassword(password);
      await this.db.transaction(async (em) => {
        const now = this.clock.now().toISOString();
        const u = await em.save(User, em.create(User, { username: 'admin', passwordHash, role: 'admin', regionId: null, disabled: false, version: 1, createdAt: now, updatedAt: now }));
        await this.audit.record(em, SYSTEM_ACTOR, {
          action: 'create', entity: 'user', entityId: u.id,
          changes: { username: { old: null, new: 'admin' }, role: { old: null, new: 'admin' }, regionId: { old: null, new: null } },
        });
      });
      if (generated) {
        // printed once, on the start that created the account; it is stored only as a hash
        console.log(`\n  First admin created. Username: admin  Password: ${password}\n  (shown once; set ADMIN_PASSWORD to choose it)\n`);
      } else {
        this.logger.log('first admin "admin" created with ADMIN_PASSWORD');
      }
    });
  }

  async login(username: string, password: string, client: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    this.throttle.check(username, client);
    const user = await this.db.reader(User).findOneBy({ username });
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.throttle.failed(username, client);
      throw new Unauthenticated('LOGIN_FAILED');
    }
    this.throttle.succeeded(username);
    const payload: TokenPayload = { sub: user.id, username: user.username, role: user.role, regionId: user.regionId };
    const expiresIn = this.config.tokenTtlMinutes * 60;
    const accessToken = await this.jwt.signAsync(payload, { secret: await this.signingSecret(), expiresIn, algorithm: 'HS256' });
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /** Drops a user from the token cache (on this instance at once; elsewhere within 5 s). */
  forget(userId: number): void {
    this.users.delete(userId);
  }

  /**
   * The actor behind a bearer token. The user row is read again at least every 5 s (and at once
   * here after a change through /api/users), so disabling a user or changing their role or region
   * takes effect then, not when the token expires.
   */
  async actorFromToken(token: string): Promise<Actor> {
    const now = Date.now();
    let payload = this.tokens.get(token);
    if (!payload || payload.exp * 1000 <= now) {
      try {
        payload = await this.jwt.verifyAsync<TokenPayload & { exp: number }>(token, { secret: await this.signingSecret(), algorithms: ['HS256'] });
      } catch {
        this.tokens.delete(token);
        throw new Unauthenticated();
      }
      if (this.tokens.size >= AuthService.TOKENS_KEPT) this.tokens.clear();
      this.tokens.set(token, payload);
    }
    let hit = this.users.get(payload.sub);
    if (!hit || hit.until < now) {
      hit = { user: await this.db.reader(User).findOneBy({ id: payload.sub }), until: now + AuthService.USER_TTL_MS };
      this.users.set(payload.sub, hit);
    }
    const user = hit.user;
    if (!user || user.disabled) throw new Unauthenticated();
    return { id: user.id, username: user.username, role: user.role, regionId: user.regionId };
  }
}
