import type { Context } from '../../context.js';
import type { Kb } from '../../kb/kb.js';
import { UserError } from '../../errors.js';

// Placeholder until the ink guide lands (same session): keeps the build whole.
export async function runGuideTui(_ctx: Context, _kb: Kb): Promise<number> {
  throw new UserError('The interactive guide is not built yet.', { hint: 'Use cd-wizard guide "<query>" or --list.' });
}
