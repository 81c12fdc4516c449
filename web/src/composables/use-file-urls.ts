/** Object URLs of the API's files (thumbnails, previews), fetched once each, as they are asked for. */
import { onBeforeUnmount, reactive } from 'vue';
import { objectUrl } from '../api';

export function useFileUrls() {
  const urls = reactive(new Map<string, string>());
  const asked = new Set<string>();
  /** The object URL of the API path, or '' until it is fetched. */
  function src(path: string): string {
    if (!asked.has(path)) {
      asked.add(path);
      objectUrl(path).then(
        (u) => void urls.set(path, u),
        () => asked.delete(path),
      );
    }
    return urls.get(path) ?? '';
  }
  onBeforeUnmount(() => urls.forEach((u) => URL.revokeObjectURL(u)));
  return { src };
}
