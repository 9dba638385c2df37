import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { unknownRegionProblem } from '../aws/regions.js';

/**
 * The home menu's flows need a region like the commands do. Where the command would stop with "No AWS region is
 * set" (no --region, AWS_REGION, profile region or answers file), the menu asks for one instead, checked against
 * the offline list of regions, and the flow goes on in it. Reads local configuration only; no AWS call.
 */

/** The message resolveRegion stops with when no source names a region (pinned by its unit test). */
const NO_REGION = 'No AWS region is set.';
export const DEFAULT_REGION = 'us-east-1';

export const REGION_QUESTION = {
  id: 'region',
  message: 'AWS region to work in',
  help: 'No region is set (--region, AWS_REGION or your profile). Codes look like us-east-1, eu-west-1, ap-northeast-2.',
  flag: '--region',
} as const;

/** Whether the region can be resolved the way every command resolves it; false only when nothing names one. */
async function regionIsSet(ctx: Context): Promise<boolean> {
  const { resolveRegion } = await import('../aws/clients.js');
  const saved = ctx.answers.load()?.answers.region;
  try {
    await resolveRegion(
      {
        ...(ctx.globals.region === undefined ? {} : { region: ctx.globals.region }),
        ...(ctx.globals.profile === undefined ? {} : { profile: ctx.globals.profile }),
        ...(saved === undefined ? {} : { saved }),
      },
      ctx.env,
    );
    return true;
  } catch (error) {
    // Any other problem (a mistyped region) is the command's to report, with its own hint.
    return !(error instanceof UserError && error.message === NO_REGION);
  }
}

/** Asks for a region when none is set, and makes it the region of this run (as --region would). */
export async function askRegionIfMissing(ctx: Context): Promise<void> {
  if (!ctx.io.interactive || (await regionIsSet(ctx))) return;
  const region = await ctx.io.prompter.input({ ...REGION_QUESTION, default: DEFAULT_REGION, validate: (value) => unknownRegionProblem(value.trim()) });
  ctx.globals.region = region.trim();
  ctx.err(ctx.style.dim(`Working in ${ctx.globals.region}. Next time give --region ${ctx.globals.region} or set AWS_REGION, and nothing is asked.`));
}
