import { expect } from 'vitest';
import type { CliSession } from './pty.js';

/**
 * The CLI gave the terminal back: it left the alternate screen after entering it, and the very last thing
 * it wrote shows the cursor again. (Raw mode being off is checked with stty in guide.e2e.test.ts.)
 */
export function expectRestored(session: CliSession): void {
  const raw = session.raw();
  expect(raw).toContain('\u001b[?1049h');
  expect(raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001b[?1049h'));
  expect(raw.endsWith('\u001b[?25h')).toBe(true);
  expect(session.inAltScreen()).toBe(false);
}
