import { defineStore } from 'pinia';
import { ApiError, get, onUnauthenticated, post } from '../api';
import type { Me, SessionAnswer } from '../api-types';
import { forgetEarly } from '../early';
import { forgetRegions } from '../regions';
import { ROLE_LABELS as VOCAB_ROLES } from '../../../src/common/vocabulary';

export type Role = Me['role'];
/** The signed-in user (`GET /api/auth/me`); mustChangePassword: 修改密码 comes first (router guard). */
export type User = Me;
type TokenAnswer = SessionAnswer;

export const ROLE_LABELS: Record<Role, string> = VOCAB_ROLES;

/** Renew this long before the token lapses, if the user did something since the last renewal. */
const RENEW_BEFORE_MS = 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel'] as const;

/**
 * The signed-in user. The session lives in an HttpOnly cookie; this store knows only who is signed
 * in and when the token lapses. While the user works the token is renewed before it lapses; a user
 * idle for the whole token lifetime (SESSION_IDLE_MINUTES) is signed out with a message.
 */
export const useSession = defineStore('session', {
  state: () => ({
    user: null as User | null,
    checked: false,
    expiresAt: 0,
    lastActivity: Date.now(),
    notice: '' as string,
    /** Who was signed in before the last sign-out ('' = nobody this page knew of). */
    previous: '' as string,
  }),
  actions: {
    async load(): Promise<User | null> {
      if (this.checked) return this.user;
      try {
        // a reloaded page does not know when its cookie lapses: renew now to learn it (the same
        // session's token stays valid, so both go at once)
        const [user, answer] = await Promise.all([
          get<User>('/api/auth/me'),
          post<TokenAnswer>('/api/auth/refresh'),
        ]);
        this.user = user;
        this.started(answer);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 401) throw e;
        this.user = null;
      }
      this.checked = true;
      return this.user;
    },
    async login(username: string, password: string): Promise<void> {
      // answers asked for before (a page load's 首页) may be another user's
      forgetEarly();
      const answer = await post<TokenAnswer>('/api/auth/login', { username, password });
      forgetRegions();
      this.user = await get<User>('/api/auth/me');
      this.checked = true;
      this.notice = '';
      this.started(answer);
    },
    async logout(): Promise<void> {
      try {
        await post('/api/auth/logout');
      } finally {
        this.ended('');
      }
    },
    async changePassword(oldPassword: string, newPassword: string): Promise<void> {
      const answer = await post<TokenAnswer>('/api/auth/password', { oldPassword, newPassword });
      if (this.user)
        this.user = { ...this.user, mustChangePassword: answer.mustChangePassword === true };
      this.started(answer);
    },
    started(answer: TokenAnswer): void {
      this.expiresAt = Date.now() + answer.expiresIn * 1000;
      this.lastActivity = Date.now();
      watchActivity(this);
      schedule(this);
    },
    ended(notice: string): void {
      forgetEarly();
      forgetRegions();
      if (this.user) this.previous = this.user.username;
      this.user = null;
      this.expiresAt = 0;
      this.notice = notice;
      clearTimeout(timer);
    },
  },
});

type Session = ReturnType<typeof useSession>;
let timer: ReturnType<typeof setTimeout> | undefined;
let watching = false;

function watchActivity(s: Session): void {
  if (watching) return;
  watching = true;
  for (const kind of ACTIVITY)
    window.addEventListener(kind, () => (s.lastActivity = Date.now()), {
      passive: true,
      capture: true,
    });
  onUnauthenticated(() => {
    if (s.user) s.ended('登录已失效，请重新登录');
  });
}

/**
 * A minute before the token lapses, and again just before it does: renew if the user did anything
 * since it was issued; at the lapse with no activity, sign out and say why.
 */
function schedule(s: Session): void {
  clearTimeout(timer);
  const issuedAt = s.lastActivity;
  const check = async (last: boolean) => {
    if (!s.user) return;
    if (s.lastActivity > issuedAt) {
      try {
        s.started(await post<TokenAnswer>('/api/auth/refresh'));
      } catch {
        s.ended('登录已失效，请重新登录');
      }
      return;
    }
    if (last) s.ended('您已长时间未操作，系统已自动退出，请重新登录');
    else timer = setTimeout(() => void check(true), Math.max(0, s.expiresAt - 5_000 - Date.now()));
  };
  timer = setTimeout(
    () => void check(false),
    Math.max(0, s.expiresAt - RENEW_BEFORE_MS - Date.now()),
  );
}
