import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useSession } from './stores/session';

/**
 * 大字模式: larger text on every screen, remembered per user in this browser. The screen that calls
 * this holds the switch; leaving it takes the class off the page.
 */
export function useLargeText(): Ref<boolean> {
  const session = useSession();
  const key = computed(() => `tracker.largeText.${session.user?.username ?? ''}`);
  const large = ref(false);
  watch(
    key,
    (k) => {
      large.value = localStorage.getItem(k) === '1';
    },
    { immediate: true },
  );
  watch(
    large,
    (on) => {
      document.documentElement.classList.toggle('large-text', on);
      if (session.user) localStorage.setItem(key.value, on ? '1' : '0');
    },
    { immediate: true },
  );
  onBeforeUnmount(() => document.documentElement.classList.remove('large-text'));
  return large;
}
