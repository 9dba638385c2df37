import { useRef } from 'react';

/**
 * A ref that holds the value from the latest render, and that key handlers may update themselves.
 *
 * ink re-subscribes useInput handlers in a passive effect, and React may render a dispatched update only
 * after ink has delivered the next chunk of input (one `readable` event can carry several). A handler that
 * reads state through this ref, and writes back the state its own dispatches lead to, never acts on the
 * screen as it was a key ago; without it, typing fast drops characters.
 */
export function useLatest<T>(value: T): { current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
