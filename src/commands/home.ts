import type { Context } from '../context.js';
import { UserError } from '../errors.js';

// Placeholder until the ink home screen lands (same session): keeps the build whole.
export async function runHome(_ctx: Context): Promise<number> {
  throw new UserError('The home screen is not built yet.', { hint: 'Run cd-wizard --help.' });
}
