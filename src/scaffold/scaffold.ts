import { appspec, hooksFor, systemdUnit } from './files.js';
import { afterInstallScript, beforeInstallScript, startScript, stopScript, validateScript } from './scripts.js';
import { FILE_MODE, SCRIPT_MODE, SERVICE_KINDS, type PlannedFile, type ScaffoldAnswers } from './types.js';
import { WORKFLOW_PATH, workflow } from './workflow.js';

/** The files for one app, in the order they are shown: appspec.yml, the hook scripts, the unit, the workflow. */
export function scaffold(answers: ScaffoldAnswers, context: { hasPackageJson: boolean } = { hasPackageJson: false }): PlannedFile[] {
  const scriptOf: Record<string, (answers: ScaffoldAnswers) => string> = {
    'scripts/stop.sh': stopScript,
    'scripts/before-install.sh': beforeInstallScript,
    'scripts/after-install.sh': afterInstallScript,
    'scripts/start.sh': startScript,
    'scripts/validate.sh': validateScript,
  };
  const files: PlannedFile[] = [{ path: 'appspec.yml', content: appspec(answers), mode: FILE_MODE, role: 'appspec' }];
  for (const hook of hooksFor(answers)) {
    const render = scriptOf[hook.script];
    if (render) files.push({ path: hook.script, content: render(answers), mode: SCRIPT_MODE, role: 'script' });
  }
  if (SERVICE_KINDS.includes(answers.kind)) {
    files.push({ path: `deploy/${answers.name}.service`, content: systemdUnit(answers), mode: FILE_MODE, role: 'unit' });
  }
  if (answers.workflow !== undefined) {
    files.push({ path: WORKFLOW_PATH, content: workflow({ ...answers, workflow: answers.workflow }, context), mode: FILE_MODE, role: 'workflow' });
  }
  return files;
}
