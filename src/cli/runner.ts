import type { Command } from 'commander';
import type { Context } from '../context.js';

/**
 * How a command's action runs: main() builds the one Context from the global flags of `command`, runs `action`
 * with it, and takes its exit code (nothing returned means 0).
 */
export type Runner = (action: (ctx: Context) => Promise<number | void>, command: Command) => Promise<void>;

/** commander's reducer for a flag that may be repeated: every value, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
