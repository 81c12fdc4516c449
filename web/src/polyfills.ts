// Element Plus calls Array.prototype.at (Chrome 92); the target is Chrome 87 / Firefox 78.
function at<T>(this: ArrayLike<T>, index: number): T | undefined {
  const n = Math.trunc(index) || 0;
  const i = n < 0 ? this.length + n : n;
  return i >= 0 && i < this.length ? this[i] : undefined;
}
for (const proto of [Array.prototype, String.prototype] as object[]) {
  if (!('at' in proto))
    Object.defineProperty(proto, 'at', { value: at, writable: true, configurable: true });
}
export {};
