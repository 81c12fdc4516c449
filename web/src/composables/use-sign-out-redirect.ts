import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSession } from '../stores/session';

/**
 * A layout's watch on the session: signed out by it (idle, revoked), the officer goes to the
 * sign-in page, which shows why, and comes back here after signing in again (LoginView takes the
 * way back only for the same user). Signed out by 退出登录: the sign-in page without a way back — the
 * next one at this browser is as likely someone else, whose scope the page may not be in.
 */
export function useSignOutRedirect(): void {
  const session = useSession();
  const router = useRouter();
  const route = useRoute();
  watch(
    () => session.user,
    (u) => {
      if (!u)
        void router.replace(
          session.notice
            ? { name: 'login', query: { redirect: route.fullPath } }
            : { name: 'login' },
        );
    },
  );
}
