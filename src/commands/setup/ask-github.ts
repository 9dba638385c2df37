import { DEFAULT_GITHUB_BRANCH, type DraftAnswers } from '../../codedeploy/answers.js';
import { checkGitBranch, checkGithubEnvironment, checkGithubRepo } from '../../codedeploy/validate.js';
import { q, type SetupPrompter } from './questions.js';

/**
 * The GitHub Actions questions (last, after the rollout): whether a workflow deploys, from which repository, and
 * from which branch or environment. Skipped when the flags or the answers file already name a repository.
 */
export async function askGithub(prompter: SetupPrompter, out: DraftAnswers, saved: DraftAnswers): Promise<void> {
  if (out.githubRepo !== undefined) return;
  if (!(await prompter.confirm({ ...q('github'), default: saved.githubRepo !== undefined }))) return;
  out.githubRepo = await prompter.input({ ...q('githubRepo'), ...(saved.githubRepo === undefined ? {} : { default: saved.githubRepo }), validate: checkGithubRepo });
  const from = await prompter.select<'branch' | 'environment'>({
    ...q('githubTrigger'),
    choices: [
      { label: 'a branch', value: 'branch', hint: 'a push to it deploys' },
      { label: 'a GitHub environment', value: 'environment', hint: 'the job says environment: NAME' },
    ],
    default: saved.githubEnvironment !== undefined ? 'environment' : 'branch',
  });
  if (from === 'branch') {
    out.githubBranch = await prompter.input({ ...q('githubBranch'), default: saved.githubBranch ?? DEFAULT_GITHUB_BRANCH, validate: checkGitBranch });
    delete out.githubEnvironment;
  } else {
    out.githubEnvironment = await prompter.input({ ...q('githubEnvironment'), default: saved.githubEnvironment ?? 'production', validate: checkGithubEnvironment });
    delete out.githubBranch;
  }
}
