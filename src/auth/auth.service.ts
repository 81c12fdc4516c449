import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { bindNamed } from '../database/raw-sql';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import {
  FieldError,
  fieldError,
  InvalidInput,
  TooManyAttempts,
  Unauthenticated,
} from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { passwordHashing } from './hash-pool';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import { generateAcceptablePassword, passwordProblem } from './password-policy';
import { MESSAGES } from '../common/messages';
import { AppSetting, AuthSession, User } from './user.entity';
import { SessionView } from './dto/session.view';

interface TokenPayload {
  sub: number;
  username: string;
  role: Actor['role'];
  regionId: number | null;
  /** The user's token generation when issued (see User.tokenGeneration). */
  gen: number;
  /** The session (sign-in) it belongs to. */
  sid: string;
  iat: number;
  exp: number;
}

/** A session answer with its token (a web client's body leaves it out: see sessionAnswer). */
export type TokenAnswer = SessionView & { accessToken: string };

interface SessionRow {
  id: number;
  username: string;
  role: Actor['role'];
  region_id: number | null;
  disabled: number | boolean;
  token_generation: number;
  session_user: number | null;
  ended_at: string | null;
}

// Verified against when the username does not exist, so a wrong name costs as much as a wrong password.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private secret: KeyObject | null = null;
  readonly throttle = new LoginThrottle();
  /**
   * Tokens already verified, with their claims: a token's signature does not change, so it is
   * checked once and then only its expiry. Bounded; emptied when full.
   */
  private readonly tokens = new Map<string, TokenPayload>();
  /**
   * User and session rows as read at a database generation (see Database.generation), and when
   * they were read (`readAt`, Date.now()).
   */
  private readonly sessions = new Map<
    string,
    { generation: string; row: Promise<SessionRow | null>; readAt: number }
  >();
  private static readonly TOKENS_KEPT = 10_000;
  /**
   * How long rows read are used at most: a change the change log cannot see (its triggers turned
   * off by hand, `session_replication_role = replica`), which the rows were kept through, still
   * takes effect within this time.
   */
  static readonly SESSION_KEPT_MS = 60_000;

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
    return (this.secret ??= createSecretKey(
      Buffer.from(await this.secretText(), 'utf8'),
    )) as unknown as Buffer;
  }

  private async secretText(): Promise<string> {
    if (this.config.jwtSecret) return this.config.jwtSecret;
    const repo = this.db.write.getRepository(AppSetting);
    let row = await repo.findOneBy({ key: 'jwt_secret' });
    if (!row) {
      await this.db.transaction((em) =>
        em
          .createQueryBuilder()
          .insert()
          .into(AppSetting)
          .values({ key: 'jwt_secret', value: randomBytes(48).toString('base64') })
          .orIgnore()
          .execute(),
      );
      row = await repo.findOneByOrFail({ key: 'jwt_secret' });
    }
    return row.value;
  }

  /** The first admin's generated password, until takeFirstAdminPassword hands it over once. */
  private firstAdminPassword: string | null = null;

  /** The generated password of the admin this start created (null after the first call, or none). */
  takeFirstAdminPassword(): string | null {
    const p = this.firstAdminPassword;
    this.firstAdminPassword = null;
    return p;
  }

  /** Creates the first admin on an empty user table, with ADMIN_PASSWORD or a generated password printed once. */
  async ensureFirstAdmin(): Promise<void> {
    await this.db.exclusively(async () => {
      if ((await this.db.write.getRepository(User).count()) > 0) return;
      const generated = this.config.adminPassword === null;
      const password = this.config.adminPassword ?? generateAcceptablePassword('admin');
      // a chosen ADMIN_PASSWORD meets the rule too (it may name the account: it is set by whoever
      // runs the server, and is typed into its configuration, not guessed from a list)
      const problem = generated ? null : passwordProblem(password, null);
      if (problem) throw new Error(`ADMIN_PASSWORD is refused: ${MESSAGES[problem]}`);
      const passwordHash = await hashPassword(password);
      await this.db.transaction(async (em) => {
        const now = this.clock.now().toISOString();
        const u = await em.save(
          User,
          em.create(User, {
            username: 'admin',
            passwordHash,
            role: 'admin',
            regionId: null,
            disabled: false,
            // a generated password was printed to the log: its first user replaces it
            mustChangePassword: generated,
            version: 1,
            createdAt: now,
            updatedAt: now,
          }),
        );
        await this.audit.record(em, SYSTEM_ACTOR, {
          action: 'create',
          entity: 'user',
          entityId: u.id,
          changes: {
            username: { old: null, new: 'admin' },
            role: { old: null, new: 'admin' },
            regionId: { old: null, new: null },
            ...(generated ? { mustChangePassword: { old: null, new: true } } : {}),
          },
        });
      });
      if (generated) {
        // printed once, on the start that created the account (stored only as a hash): kept until
        // the server listens, so it comes after the route mapping, the last thing on the screen
        this.firstAdminPassword = password;
        this.logger.log(
          'first admin "admin" created; its password is printed once the server listens',
        );
      } else {
        this.logger.log('first admin "admin" created with ADMIN_PASSWORD');
      }
    });
  }

  /**
   * Signs in. The attempt takes its failure slot before any work (429 when none is left), and
   * only a right password gives it back; the password check waits in the bounded hashing pool,
   * and is refused at once (429 LOGIN_BUSY, slot given back) when that pool's line is full.
   */
  async login(username: string, password: string, client: string): Promise<TokenAnswer> {
    const busy = () => new TooManyAttempts(2, 'LOGIN_BUSY');
    if (passwordHashing.full) throw busy();
    const attempt = await this.beginAttempt(username, client);
    if (attempt.delayMs) await new Promise((r) => setTimeout(r, attempt.delayMs));
    if (passwordHashing.full) {
      attempt.withdrawn();
      throw busy();
    }
    const user = await this.db.reader(User).findOneBy({ username });
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new Unauthenticated('LOGIN_FAILED');
    attempt.succeeded();
    // the right password of a disabled account: say why, so the officer calls the admin
    if (user.disabled) throw new Unauthenticated('ACCOUNT_DISABLED');
    const now = this.clock.now().toISOString();
    const session = await this.db.transaction((em) => AuthService.startSession(em, user.id, now));
    return this.issue(user, session);
  }

  /**
   * The throttle's attempt; a username blocked by failures made before its password was last set
   * (`npm run admin:reset-password` from the shell, which cannot reach this process's memory) is
   * forgotten first, so the new password gets in at once.
   */
  private async beginAttempt(username: string, client: string) {
    try {
      return this.throttle.begin(username, client);
    } catch (e) {
      const last = this.throttle.lastFailureAt(username);
      if (!(e instanceof TooManyAttempts) || last === null) throw e;
      const user = await this.db.reader(User).findOneBy({ username });
      if (!user || Date.parse(user.updatedAt) <= last) throw e;
      this.throttle.forgetUser(username);
      return this.throttle.begin(username, client);
    }
  }

  private static startSession(
    em: EntityManager,
    userId: number,
    now: string,
  ): Promise<AuthSession> {
    return em.save(
      AuthSession,
      em.create(AuthSession, {
        id: randomUUID(),
        userId,
        createdAt: now,
        refreshedAt: now,
        endedAt: null,
      }),
    );
  }

  /** When the session stops being renewable (SESSION_MAX_HOURS after sign-in), in ms. */
  private sessionEnd(session: AuthSession): number {
    return new Date(session.createdAt).getTime() + this.config.sessionMaxHours * 3_600_000;
  }

  /** A token for the session: valid SESSION_IDLE_MINUTES, never past the session's maximum age. */
  private async issue(
    user: Pick<
      User,
      'id' | 'username' | 'role' | 'regionId' | 'tokenGeneration' | 'mustChangePassword'
    >,
    session: AuthSession,
  ): Promise<TokenAnswer> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = Math.min(
      iat + this.config.tokenTtlMinutes * 60,
      Math.floor(this.sessionEnd(session) / 1000),
    );
    const payload: TokenPayload = {
      sub: user.id,
      username: user.username,
      role: user.role,
      regionId: user.regionId,
      gen: user.tokenGeneration,
      sid: session.id,
      iat,
      exp,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      secret: await this.signingSecret(),
      algorithm: 'HS256',
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: exp - iat,
      mustChangePassword: user.mustChangePassword,
    };
  }

  /**
   * A new token for the same session, while the current one is still valid: an active user stays
   * signed in through a working day (SESSION_MAX_HOURS), an idle one is signed out when the token
   * lapses (SESSION_IDLE_MINUTES).
   */
  async refresh(actor: Actor): Promise<TokenAnswer> {
    const { user, session } = await this.current(actor);
    const now = this.clock.now();
    if (now.getTime() >= this.sessionEnd(session)) throw new Unauthenticated('TOKEN_EXPIRED');
    await this.db.transaction((em) =>
      em.update(AuthSession, session.id, { refreshedAt: now.toISOString() }),
    );
    return this.issue(user, session);
  }

  /** Ends the session: its tokens answer 401 from the next request on. */
  async logout(actor: Actor): Promise<{ loggedOut: true }> {
    const { session } = await this.current(actor);
    await this.db.transaction((em) =>
      em.update(AuthSession, session.id, { endedAt: this.clock.now().toISOString() }),
    );
    return { loggedOut: true };
  }

  /**
   * A user changes their own password (old + new): every token of theirs is revoked, this one
   * too, and a new session is started for the caller.
   */
  async changePassword(
    actor: Actor,
    oldPassword: string,
    newPassword: string,
  ): Promise<TokenAnswer> {
    const { user } = await this.current(actor);
    const errors: FieldError[] = [];
    if (!(await verifyPassword(oldPassword, user.passwordHash)))
      errors.push(fieldError('oldPassword', 'OLD_PASSWORD_WRONG'));
    const problem = passwordProblem(newPassword, user.username);
    if (problem) errors.push(fieldError('newPassword', problem));
    else if (newPassword === oldPassword)
      errors.push(fieldError('newPassword', 'PASSWORD_UNCHANGED'));
    if (errors.length) throw new InvalidInput(errors);
    const passwordHash = await hashPassword(newPassword);
    const now = this.clock.now().toISOString();
    const { fresh, session } = await this.db.transaction(async (em) => {
      await em.update(User, user.id, {
        passwordHash,
        mustChangePassword: false,
        updatedAt: now,
        version: () => 'version + 1',
      });
      await AuthService.revokeAll(em, user.id, now);
      await this.audit.record(em, actor, {
        action: 'change_password',
        entity: 'user',
        entityId: user.id,
        changes: {
          password: { old: '（已隐藏）', new: '（已修改）' },
          ...(user.mustChangePassword ? { mustChangePassword: { old: true, new: false } } : {}),
        },
      });
      const session = await AuthService.startSession(em, user.id, now);
      return { fresh: await em.findOneByOrFail(User, { id: user.id }), session };
    });
    return this.issue(fresh, session);
  }

  /** Whether the signed-in user still has to replace a password an admin set (GET /api/auth/me). */
  async mustChangePassword(actor: Actor): Promise<boolean> {
    return (await this.account(actor)).mustChangePassword;
  }

  /** What the session shows of its user: 姓名 (null when none) and whether a new password is due. */
  async account(
    actor: Actor,
  ): Promise<{ displayName: string | null; mustChangePassword: boolean }> {
    const user = actor.id === null ? null : await this.db.reader(User).findOneBy({ id: actor.id });
    return {
      displayName: user?.displayName?.trim() || null,
      mustChangePassword: user?.mustChangePassword === true,
    };
  }

  /**
   * Revokes every token of a user at once (password reset or change, disable, role or region
   * change): the generation moves on and open sessions end, in the caller's transaction.
   */
  static async revokeAll(em: EntityManager, userId: number, now: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({ tokenGeneration: () => 'token_generation + 1' })
      .where('id = :id', { id: userId })
      .execute();
    await em
      .createQueryBuilder()
      .update(AuthSession)
      .set({ endedAt: now })
      .where('user_id = :userId AND ended_at IS NULL', { userId })
      .execute();
  }

  private async current(actor: Actor): Promise<{ user: User; session: AuthSession }> {
    const user = actor.id === null ? null : await this.db.reader(User).findOneBy({ id: actor.id });
    const session = actor.sessionId
      ? await this.db.reader(AuthSession).findOneBy({ id: actor.sessionId })
      : null;
    if (!user || !session || session.endedAt) throw new Unauthenticated();
    return { user, session };
  }

  /** Deletes sessions that ended, or lapsed, more than a day ago. */
  async pruneSessions(): Promise<void> {
    const before = new Date(
      this.clock.now().getTime() - (this.config.sessionMaxHours + 24) * 3_600_000,
    ).toISOString();
    await this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .delete()
        .from(AuthSession)
        .where('refreshed_at < :before', { before })
        .execute(),
    );
  }

  /**
   * The actor behind a bearer token. The signature is checked once per token; its expiry, the
   * user (disabled? same token generation?) and the session (ended?) on every request — read again
   * whenever the database generation moved past a commit that may have changed them — so a
   * revocation takes effect on the next request on every instance.
   */
  async actorFromToken(token: string): Promise<Actor> {
    let payload = this.tokens.get(token);
    if (!payload) {
      try {
        payload = await this.jwt.verifyAsync<TokenPayload>(token, {
          secret: await this.signingSecret(),
          algorithms: ['HS256'],
          ignoreExpiration: true,
        });
      } catch {
        throw new Unauthenticated();
      }
      if (
        typeof payload.sid !== 'string' ||
        typeof payload.gen !== 'number' ||
        typeof payload.exp !== 'number'
      )
        throw new Unauthenticated();
      if (this.tokens.size >= AuthService.TOKENS_KEPT) this.tokens.clear();
      this.tokens.set(token, payload);
    }
    if (payload.exp * 1000 <= this.clock.now().getTime())
      throw new Unauthenticated('TOKEN_EXPIRED');
    // the user and session rows are read again whenever a commit since may have changed them (a
    // revocation is a write): exact at once on every instance, and one cheap check per request
    // while nothing changes
    const reading = this.db.generation();
    const generation = await reading;
    const key = `${payload.sub}|${payload.sid}`;
    let hit = this.sessions.get(key);
    const fresh = !!hit && Date.now() - hit.readAt < AuthService.SESSION_KEPT_MS;
    if (
      hit &&
      fresh &&
      hit.generation !== generation &&
      !this.db.authChanged(hit.generation, generation)
    ) {
      // commits of other things only (PostgreSQL's change log): the rows read hold at this token
      hit = { ...hit, generation };
      this.sessions.set(key, hit);
    }
    if (!hit || !fresh || hit.generation !== generation) {
      // one read per session and generation: the requests of a turn after a commit share it (each
      // reading it for itself queued up to 50 reads a write on PostgreSQL's pool under the bench)
      const [sql, params] = bindNamed(this.db.dialect, SESSION_SQL, {
        userId: payload.sub,
        sessionId: payload.sid,
      });
      const read = (this.db.read.query(sql, params) as Promise<SessionRow[]>).then(
        ([found]) => found ?? null,
      );
      hit = { generation, row: read, readAt: Date.now() };
      if (this.sessions.size >= AuthService.TOKENS_KEPT) this.sessions.clear();
      this.sessions.set(key, hit);
      // a failed read is not kept (nor carried to a later token): the next request reads again
      read.catch(() => this.sessions.get(key)?.row === read && this.sessions.delete(key));
    }
    const row = await hit.row;
    if (
      !row ||
      row.disabled === true ||
      row.disabled === 1 ||
      Number(row.token_generation) !== payload.gen ||
      row.session_user !== row.id ||
      row.ended_at !== null
    ) {
      throw new Unauthenticated();
    }
    const actor: Actor = {
      id: row.id,
      username: row.username,
      role: row.role,
      regionId: row.region_id,
      sessionId: payload.sid,
    };
    // the request's reads (the list's page cache) take the token this check read
    this.db.shareGeneration(actor, reading);
    return actor;
  }
}

const SESSION_SQL = `SELECT u.id, u.username, u.role, u.region_id, u.disabled, u.token_generation, s.user_id AS session_user, s.ended_at
  FROM "user" u LEFT JOIN auth_session s ON s.id = :sessionId WHERE u.id = :userId`;
