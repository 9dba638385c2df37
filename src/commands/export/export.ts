import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AutoScalingGroupInfo } from '../../aws/ports/index.js';
import { withDefaults, type SetupAnswers } from '../../codedeploy/answers.js';
import { renderCloudFormation } from '../../codedeploy/export/cloudformation.js';
import { exportModel } from '../../codedeploy/export/model.js';
import { renderTerraform } from '../../codedeploy/export/terraform.js';
import type { SetupState } from '../../codedeploy/state.js';
import { missingAnswers, validateAnswers } from '../../codedeploy/validate.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { PromptCancelledError } from '../../prompt/prompter.js';

/**
 * `cd-wizard export --format cloudformation|terraform [--out FILE]`: the infrastructure code for exactly what setup
 * manages with the answers file's answers (see src/codedeploy/export/). Offline, except for one read when Auto Scaling
 * groups are named (whether they launch from a template decides one policy).
 */

export const EXPORT_FORMATS = ['cloudformation', 'terraform'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFlags {
  format: ExportFormat;
  out?: string;
  force?: boolean;
}

function answersOf(ctx: Context): { answers: SetupAnswers; state: SetupState | undefined } {
  const store = ctx.answers;
  const file = store.load();
  if (!file) {
    throw new UserError(`There is no ${store.shown} here: export writes what setup manages for the answers in it.`, {
      hint: `Run setup first (cd-wizard setup --dry-run saves nothing; answer on a terminal or with flags and --yes), or name the file: --answers path/to/${store.shown}.`,
    });
  }
  const draft = withDefaults({ ...file.answers, ...(ctx.globals.region === undefined ? {} : { region: ctx.globals.region }) });
  const problems = [...missingAnswers(draft), ...validateAnswers(draft)];
  if (!draft.region) problems.push({ field: 'region', flag: '--region', message: 'no region is saved' });
  if (problems.length > 0) {
    throw new UsageError(
      `${store.shown} does not have everything export needs:\n${problems.map((problem) => `  • ${problem.flag}: ${problem.message}`).join('\n')}`,
      `Complete it with cd-wizard setup (its answers are saved once you accept the plan), then export again.`,
    );
  }
  return { answers: draft as SetupAnswers, state: file.state };
}

async function autoScalingGroups(ctx: Context, names: readonly string[]): Promise<AutoScalingGroupInfo[]> {
  if (names.length === 0) return [];
  ctx.io.emit({ code: 'export.asg', level: 'info', text: `Reading ${names.join(', ')} (whether ${names.length === 1 ? 'it launches' : 'they launch'} from a launch template)…` });
  const { found } = await (await ctx.aws()).ports.autoScaling.describeGroups(names);
  return found;
}

/** May `path` be written? A file that exists needs --force or a yes (default No). */
async function mayWrite(ctx: Context, path: string, shown: string, force: boolean): Promise<boolean> {
  if (!existsSync(path)) return true;
  if (statSync(path).isDirectory()) throw new UsageError(`${shown} is a folder.`, 'Give the path of a file to write, e.g. --out infra/codedeploy.yaml.');
  if (force) return true;
  if (!ctx.io.interactive) throw new UsageError(`${shown} exists; export does not overwrite it without --force.`, `Run again with --force, or another --out.`);
  return ctx.io.prompter.confirm({ id: 'export-overwrite', message: `${shown} exists. Overwrite it?`, flag: '--force', default: false });
}

export async function runExport(ctx: Context, flags: ExportFlags): Promise<number> {
  const { answers, state } = answersOf(ctx);
  const groups = await autoScalingGroups(ctx, answers.asg);
  const missing = answers.asg.filter((name) => !groups.some((group) => group.name === name));
  if (missing.length > 0) throw new UserError(`Auto Scaling group ${missing.join(', ')} does not exist in ${answers.region}.`, { hint: 'Check the names in the answers file (asg) and the region.' });
  const model = exportModel({ answers, ...(state ? { state } : {}), autoScalingGroups: groups });
  const text = flags.format === 'cloudformation' ? renderCloudFormation(model) : renderTerraform(model);
  const word = flags.format === 'cloudformation' ? 'CloudFormation template' : 'Terraform configuration';
  if (flags.out === undefined) {
    ctx.io.result({ text: text.replace(/\n$/, ''), json: { format: flags.format, template: text } });
    return ExitCode.Ok;
  }
  const path = resolve(ctx.cwd, flags.out);
  try {
    if (!(await mayWrite(ctx, path, flags.out, flags.force ?? false))) {
      ctx.io.emit({ code: 'export.kept', level: 'info', text: `Kept ${flags.out} as it was; nothing was written.` });
      return ExitCode.Ok;
    }
  } catch (error) {
    if (error instanceof PromptCancelledError) return ctx.io.interrupted();
    throw error;
  }
  writeFileSync(path, text);
  const next =
    flags.format === 'cloudformation'
      ? `aws cloudformation deploy --template-file ${flags.out} --stack-name ${answers.app}-codedeploy --capabilities CAPABILITY_NAMED_IAM --region ${answers.region}`
      : `terraform init && terraform plan   # in the folder of ${flags.out}`;
  ctx.io.result({
    text: `${ctx.io.style.green(ctx.io.style.symbols.ok)} Wrote the ${word} for ${answers.app}/${answers.group} to ${flags.out}.\nNext: ${next}`,
    json: { format: flags.format, out: path },
  });
  return ExitCode.Ok;
}
