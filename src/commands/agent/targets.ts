import type { AwsPorts } from '../../aws/ports/index.js';
import type { DraftAnswers } from '../../codedeploy/answers.js';
import { instancesSelected } from '../../codedeploy/observe.js';
import { describeTagGroups } from '../../codedeploy/tags.js';
import { checkInstanceId } from '../../codedeploy/validate.js';
import { UsageError, UserError } from '../../errors.js';

/**
 * Which instances `cd-wizard agent` looks at: --instances when given; otherwise the answers file's instances plus
 * those its deployment group selects today (its tags and the members of its Auto Scaling groups).
 */

/** --instances i-1,i-2 (repeatable) as a list, every id checked before any AWS call. */
export function instancesFromFlag(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const ids = [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== ''))];
  const problems = ids.flatMap((id) => checkInstanceId(id) ?? []);
  if (ids.length === 0) problems.push('--instances names no instance.');
  if (problems.length > 0) throw new UsageError(problems.join('\n'), 'Give instance ids as --instances i-0123456789abcdef0,i-…');
  return ids;
}

export interface Selection {
  ids: string[];
  /** Where they came from, in words ("from --instances", "from cd-wizard.json: …"). */
  source: string;
}

export async function selectInstances(ports: AwsPorts, flag: string[] | undefined, answers: DraftAnswers | undefined, answersShown: string): Promise<Selection> {
  if (flag !== undefined) return { ids: flag, source: '--instances' };
  if (answers === undefined) {
    throw new UsageError('Which instances? There is no answers file to take them from.', `Give them with --instances i-…,i-…, or run cd-wizard setup first (it writes ${answersShown}).`);
  }
  const groups = answers.tagGroups ?? [];
  const [selected, asgs] = await Promise.all([instancesSelected(ports, groups), ports.autoScaling.describeGroups(answers.asg ?? [])]);
  const running = selected.filter((instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down').map((instance) => instance.id);
  const ids = [...new Set([...(answers.instances ?? []), ...running, ...asgs.found.flatMap((group) => group.instanceIds)])];
  const what = [
    ...((answers.instances?.length ?? 0) > 0 ? ['its instances'] : []),
    ...(groups.length > 0 ? [`instances tagged ${describeTagGroups(groups)}`] : []),
    ...((answers.asg?.length ?? 0) > 0 ? [`Auto Scaling group${answers.asg?.length === 1 ? '' : 's'} ${answers.asg?.join(', ')}`] : []),
  ];
  if (ids.length === 0) {
    throw new UserError(`${answersShown} selects no instance (${what.join(', ') || 'no instances, tags or Auto Scaling groups'}).`, { hint: 'Tag your instances, or give them with --instances i-…' });
  }
  return { ids, source: `${answersShown}: ${what.join(', ')}` };
}
