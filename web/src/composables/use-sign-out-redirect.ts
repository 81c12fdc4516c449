import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSession } from '../stores/session';

/**
 * A layout's watch on the session: signed out by it (idle, revoked), the officer goes to the
 * sign-in page, which shows why, and comes back here after signing in again.
 */
export function useSignOutRedirect(): void {
  const session = useSession();
  const router = useRouter();
  const route = useRoute();
  watch(
    () => session.user,
    (u) => {
      if (!u) void router.replace({ name: 'login', query: { redirect: route.fullPath } });
    },
  );
}
