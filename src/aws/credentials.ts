import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * How the user's credentials are configured, read from the shared config files only when a call failed for
 * lack of credentials, so the error can end with the exact next command. Never reads or returns a secret:
 * only section names and the names of keys.
 */
export type CredentialSetup =
  | { kind: 'sso'; profile: string }
  | { kind: 'keys'; profile: string }
  | { kind: 'env-keys'; sessionToken: boolean }
  | { kind: 'other'; profile: string }
  | { kind: 'missing-profile'; profile: string }
  | { kind: 'none' };

export type ReadText = (path: string) => string | undefined;

const readIfPresent: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Section name → the key names in it (values are dropped on purpose). */
export function iniKeys(text: string): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = new Set();
      sections.set(header[1].replace(/\s+/g, ' '), current);
      continue;
    }
    const key = /^([A-Za-z0-9_.-]+)\s*=/.exec(line);
    if (key?.[1] !== undefined && current) current.add(key[1].toLowerCase());
  }
  return sections;
}

export function describeCredentialSetup(profile: string | undefined, env: NodeJS.ProcessEnv, read: ReadText = readIfPresent): CredentialSetup {
  const explicitProfile = profile ?? env.AWS_PROFILE;
  if (explicitProfile === undefined && env.AWS_ACCESS_KEY_ID) {
    return { kind: 'env-keys', sessionToken: Boolean(env.AWS_SESSION_TOKEN) };
  }
  const name = explicitProfile ?? 'default';
  const home = env.HOME ?? homedir();
  const config = iniKeys(read(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')) ?? '');
  const credentials = iniKeys(read(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')) ?? '');
  const configSection = config.get(name === 'default' ? 'default' : `profile ${name}`) ?? (name === 'default' ? undefined : config.get(name));
  const credentialSection = credentials.get(name);
  if (configSection && (configSection.has('sso_session') || configSection.has('sso_start_url'))) return { kind: 'sso', profile: name };
  if (credentialSection?.has('aws_access_key_id') || configSection?.has('aws_access_key_id')) return { kind: 'keys', profile: name };
  if (configSection || credentialSection) return { kind: 'other', profile: name };
  if (explicitProfile !== undefined) return { kind: 'missing-profile', profile: name };
  return { kind: 'none' };
}

const profileFlag = (profile: string) => (profile === 'default' ? '' : ` --profile ${profile}`);

/** The one command that gets the user going again, as a sentence ending the error. */
export function credentialsNextStep(setup: CredentialSetup, problem: 'missing' | 'expired' | 'invalid'): string {
  switch (setup.kind) {
    case 'sso':
      return `Sign in again: aws sso login${profileFlag(setup.profile)}`;
    case 'keys':
      return problem === 'missing'
        ? `Check the keys of profile ${setup.profile}: aws configure${profileFlag(setup.profile)}`
        : `Replace the access key of profile ${setup.profile}: aws configure${profileFlag(setup.profile)}`;
    case 'env-keys':
      return setup.sessionToken
        ? 'The temporary credentials in AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN are not valid (they may have expired): get new ones from whatever issued them, or unset them and use a profile.'
        : 'The keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not valid: fix them, or unset them and use a profile (aws configure).';
    case 'other':
      return problem === 'expired'
        ? `Refresh the credentials of profile ${setup.profile} (for an SSO profile: aws sso login${profileFlag(setup.profile)}), then try again.`
        : `Check profile ${setup.profile} in ~/.aws/config: aws configure list${profileFlag(setup.profile)}`;
    case 'missing-profile':
      return `Profile ${setup.profile} is not in ~/.aws/config or ~/.aws/credentials. Create it: aws configure sso --profile ${setup.profile} (or aws configure --profile ${setup.profile})`;
    case 'none':
      return 'No AWS credentials are configured. Set them up: aws configure (or aws configure sso), then try again.';
  }
}
