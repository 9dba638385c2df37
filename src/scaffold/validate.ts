import { unknownRegionProblem } from '../aws/regions.js';
import { checkBucketName, checkCodeDeployName } from '../codedeploy/validate.js';
import { APP_KINDS } from './types.js';

/**
 * The rules for init's answers. Each check returns the problem in words, or undefined. Values end up in shell
 * scripts, YAML and a systemd unit, so they are held to plain, safe characters (quoting handles the rest).
 */

export type Check = (value: string) => string | undefined;

export const checkKind: Check = (value) => ((APP_KINDS as readonly string[]).includes(value) ? undefined : `must be one of ${APP_KINDS.join(', ')}`);

export const checkName: Check = (value) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(value) ? undefined : 'use 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit (it names the service)';

export const checkUser: Check = (value) => (/^[a-z_][a-z0-9_-]{0,31}$/.test(value) ? undefined : 'a Linux user name: lowercase letters, digits, - and _, up to 32, not starting with a digit');

export const checkPort: Check = (value) => (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'a port number from 1 to 65535');

/** Folders that must never be a deployment destination: OVERWRITE would replace the system's files. */
const SYSTEM_FOLDERS = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/opt', '/proc', '/root', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var', '/var/www']);

export const checkDestination: Check = (value) => {
  if (!/^\/[A-Za-z0-9._/@+-]*$/.test(value)) return 'an absolute Linux path (starting with /) without spaces or quotes';
  if (value.split('/').includes('..')) return 'no .. in the path';
  if (SYSTEM_FOLDERS.has(value.replace(/\/+$/, '') || '/')) return 'a folder of its own (such as /opt/shop or /var/www/html), not a system folder';
  return undefined;
};

export const checkHealthPath: Check = (value) => (/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(value) ? undefined : 'a URL path starting with /, such as / or /health');

export const checkStartCommand: Check = (value) => (value.trim() !== '' && !/[\r\n]/.test(value) ? undefined : 'one line: the command that starts the app in its folder');

/** A folder or file inside the bundle. */
export const checkBundlePath: Check = (value) =>
  /^[A-Za-z0-9._@+-][A-Za-z0-9._/@+-]*$/.test(value) && !value.split('/').includes('..') ? undefined : 'a path inside this folder, such as public or dist (no leading / or ..)';

export const checkRegion: Check = (value) => unknownRegionProblem(value);

export const checkApplication: Check = (value) => checkCodeDeployName('Application name', value);
export const checkGroup: Check = (value) => checkCodeDeployName('Deployment group name', value);
export const checkBucket: Check = (value) => checkBucketName(value);

export const checkRoleArn: Check = (value) =>
  /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value) ? undefined : 'an IAM role ARN: arn:aws:iam::123456789012:role/NAME';

export const checkBranch: Check = (value) => (/^[A-Za-z0-9._/-]{1,200}$/.test(value) && !value.includes('..') ? undefined : 'a branch name such as main');
