/**
 * Loads the ink screens chunk (ink, react, yoga). Kept free of ink imports itself so commands can call it.
 *
 * yoga-layout, ink's layout engine, checks `typeof fetch` while it instantiates its embedded WebAssembly, and
 * on Node merely touching the global `fetch` loads undici (~40–80 ms here) so that yoga can "fetch" a data:
 * URL. With `fetch` hidden for the duration of the import, yoga decodes the same bytes directly. The global
 * is restored, untouched, right after.
 */
export async function loadScreens(): Promise<typeof import('./screens.js')> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return import('./screens.js');
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await import('./screens.js');
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}
