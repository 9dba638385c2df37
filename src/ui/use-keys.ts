import { useApp, useInput } from 'ink';
import { isCtrl, toKeyPresses, type KeyPress } from './keys.js';

/**
 * useInput as KeyPress lists: a coalesced chunk is split into its keys, and Ctrl-C anywhere in it exits the
 * ink app with no value (ink itself only recognises a chunk that is exactly Ctrl-C); the keys before it
 * still reach the handler.
 */
export function useKeys(handler: (presses: readonly KeyPress[]) => void, options: { isActive?: boolean } = {}): void {
  const { exit } = useApp();
  useInput((input, key) => {
    const presses = toKeyPresses(input, key);
    const interrupt = presses.findIndex((press) => isCtrl(press, 'c'));
    if (interrupt !== 0) handler(interrupt < 0 ? presses : presses.slice(0, interrupt));
    if (interrupt >= 0) exit();
  }, options);
}
