import { formatText, toJson as lintJson } from '../../appspec/format.js';
import { lintDirectory } from '../../appspec/lint.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { PromptCancelledError, type Prompter } from '../../prompt/prompter.js';
import { detect } from '../../scaffold/detect.js';
import { scaffold } from '../../scaffold/scaffold.js';
import { VERSION } from '../../version.js';
import { checkDraft, completeWithoutAsking, draftFromFlags, toScaffoldAnswers, type Draft, type InitFlags } from './answers.js';
import { askMissing, confirmOverwrite, type InitQuestionId } from './ask.js';
import { readDeployTarget, type DeployTarget } from './deploy-target.js';
import { compareWithDisk, modeText, writePlanned, type FilePlan } from './files.js';
import { describe, dryRunStatus, nextSteps, renderFiles, renderSteps, type Status } from './render.js';

/**
 * `cd-wizard init`: flags → (questions on a terminal) → the files for this kind of app → what exists on disk →
 * decisions (nothing is overwritten without a yes, default No; --force for hook scripts) → write → lint what was
 * written → next steps. Nothing is written before every decision is made, so Ctrl-C or a refusal leaves the
 * folder as it was.
 */

export type { InitFlags } from './answers.js';

export interface InitDeps {
  /** Asks on a terminal; default: @inquirer/prompts when there is one. Tests answer by question id. */
  prompter?: Prompter<InitQuestionId>;
}

/** The flags that only matter for the workflow: giving one asks for the workflow. */
const WORKFLOW_FIELDS = ['app', 'group', 'bucket', 'roleArn', 'branch'] as const;

async function terminalPrompter(ctx: Context): Promise<Prompter<InitQuestionId>> {
  const { createInquirerPrompter } = await import('../../prompt/inquirer-prompter.js');
  return createInquirerPrompter<InitQuestionId>({ input: ctx.term.stdin, output: ctx.term.stderr, rows: ctx.term.rows, color: ctx.style.enabled });
}

/** What to do with each file; throws (before anything is written) when a file may not be overwritten. */
async function decide(files: FilePlan[], flags: InitFlags, prompter: Prompter<InitQuestionId> | undefined): Promise<Array<{ file: FilePlan; status: Status }>> {
  const blocked = files.filter((file) => file.disk === 'blocked');
  if (blocked.length > 0) {
    throw new UserError(`init cannot write ${blocked.map((file) => file.path).join(', ')}: something that is not a file is in the way. Nothing was written.`);
  }
  const conflicts = files.filter((file) => file.disk === 'differs' && !(flags.force && file.role === 'script'));
  if (conflicts.length > 0 && prompter === undefined) {
    const scripts = conflicts.some((file) => file.role === 'script');
    throw new UserError(`These files exist and differ from what init would write; nothing was written:\n${conflicts.map((file) => `  • ${file.path}`).join('\n')}`, {
      hint: `${scripts ? '--force overwrites the hook scripts. ' : ''}Run init on a terminal to be asked file by file (default No), move the files away, or see what init would write with --dry-run.`,
    });
  }
  const decided: Array<{ file: FilePlan; status: Status }> = [];
  for (const file of files) {
    if (file.disk === 'new') decided.push({ file, status: 'created' });
    else if (file.disk === 'same') decided.push({ file, status: 'unchanged' });
    else if (flags.force && file.role === 'script') decided.push({ file, status: 'overwritten' });
    else {
      const why = file.role === 'appspec' ? 'your AppSpec' : file.role === 'workflow' ? 'your workflow' : file.role === 'unit' ? 'your systemd unit' : 'your script';
      decided.push({ file, status: prompter !== undefined && (await confirmOverwrite(prompter, file.path, why)) ? 'overwritten' : 'kept' });
    }
  }
  return decided;
}

export async function runInit(ctx: Context, flags: InitFlags, deps: InitDeps = {}): Promise<number> {
  const cwd = ctx.cwd;
  const json = ctx.globals.json;
  const width = ctx.term.isTty ? Math.max(60, ctx.term.columns) : 80;
  const say = (text: string) => {
    if (!json) ctx.err(text);
  };

  // 1. The flags, every problem at once.
  const draft: Draft = draftFromFlags(flags, ctx.globals.region);
  const problems = checkDraft(draft);
  if (problems.length > 0) throw new UsageError(`The flags have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((line) => `  • ${line}`).join('\n')}`, 'Fix them and run again; nothing was written.');
  if (draft.githubActions === undefined && WORKFLOW_FIELDS.some((field) => draft[field] !== undefined)) draft.githubActions = true;

  // 2. Defaults from the folder, and (for the workflow) from the answers file.
  const detected = detect(cwd);
  let target: DeployTarget | undefined;
  const source = { detected, target: () => (target ??= readDeployTarget(ctx.answers)) };
  /** For the next steps only: a broken answers file there is not worth failing for. */
  const targetIfReadable = (): DeployTarget => {
    try {
      return source.target();
    } catch {
      return {};
    }
  };

  try {
    // 3. Ask what is open (terminal), or fill defaults and name the missing flags (no terminal).
    const prompter = deps.prompter ?? (ctx.term.canPrompt && !json ? await terminalPrompter(ctx) : undefined);
    const asked = prompter === undefined ? draft : await askMissing(prompter, draft, source);
    const answers = toScaffoldAnswers(completeWithoutAsking({ ...asked, githubActions: asked.githubActions === true }, source), VERSION);

    // 4. The files, compared with what is on disk.
    const files = compareWithDisk(cwd, scaffold(answers, { hasPackageJson: detected.hasPackageJson }));
    const steps = nextSteps(answers, cwd, targetIfReadable());
    if (flags.dryRun) {
      const rows = files.map((file) => ({ file, status: dryRunStatus(file.disk, flags.force === true, file.role) }));
      if (json) ctx.out(JSON.stringify({ dryRun: true, kind: answers.kind, name: answers.name, files: rows.map(({ file, status }) => ({ path: file.path, mode: modeText(file.mode), role: file.role, status })) }, null, 2));
      else ctx.out(`Dry run for ${answers.name} (${describe(answers)}); nothing was written:\n${renderFiles(rows, ctx.style)}`);
      return ExitCode.Ok;
    }

    // 5. Decide every file, then write.
    const decided = await decide(files, flags, prompter);
    for (const { file, status } of decided) if (status === 'created' || status === 'overwritten') writePlanned(cwd, file);

    // 6. Lint what is there now, and what to do next.
    const report = lintDirectory(cwd);
    if (json) {
      const rows = decided.map(({ file, status }) => ({ path: file.path, mode: modeText(file.mode), role: file.role, status }));
      ctx.out(JSON.stringify({ dryRun: false, kind: answers.kind, name: answers.name, files: rows, lint: lintJson(report), nextSteps: steps }, null, 2));
      return ExitCode.Ok;
    }
    const lint =
      report.findings.length === 0
        ? `${ctx.style.green(ctx.style.symbols.ok)} cd-wizard lint: no problems in appspec.yml and ${report.scripts.length} hook script${report.scripts.length === 1 ? '' : 's'}.`
        : `cd-wizard lint found problems to fix before deploying:\n\n${formatText(report, { style: ctx.style, width, cwd })}`;
    ctx.out(`${answers.name}: ${describe(answers)}\n${renderFiles(decided, ctx.style)}\n\n${lint}\n\nNext:\n${renderSteps(steps, width)}`);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof PromptCancelledError) {
      say('\nCancelled; nothing was written.');
      return ExitCode.Interrupted;
    }
    throw error;
  }
}
