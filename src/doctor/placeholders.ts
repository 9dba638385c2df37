import type { FixStep } from '../kb/types.js';

/**
 * Fix steps in the guide are written with placeholders (<instance-id>, <bucket> …; src/kb/types.ts PLACEHOLDERS).
 * Against AWS, cd-wizard knows the real values; this fills them in. Unknown placeholders stay as they are, so a
 * step is never made wrong by a guess.
 */

export type PlaceholderValues = Partial<Record<string, string>>;

/** Replaces every `<name>` whose value is known; leaves the others. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(/<([a-z][a-z0-9-]*)>/g, (whole, name: string) => {
    const value = values[`<${name}>`];
    return value === undefined || value === '' ? whole : value;
  });
}

export function fillSteps(steps: readonly FixStep[], values: PlaceholderValues): FixStep[] {
  return steps.map((step) => ({
    text: fillPlaceholders(step.text, values),
    ...(step.command ? { command: fillPlaceholders(step.command, values) } : {}),
  }));
}
