/**
 * Masks secrets in anything cd-wizard echoes back (evidence lines, reports). Pure and line-oriented,
 * so it runs on every evidence line without buffering the input.
 */
export interface RedactOptions {
  /** Also mask 12-digit AWS account ids (--redact-account). */
  accountIds?: boolean;
}

const MASK = '****';

const RULES: ReadonlyArray<readonly [RegExp, (match: string, ...groups: string[]) => string]> = [
  // Passwords in URLs: scheme://user:password@host (proxy_uri, git remotes, database URLs).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s/@]+)@/gi, (_m, head) => `${head}${MASK}@`],
  // Session tokens named as such, in ini, env, JSON and query-string forms.
  [
    /\b(aws_session_token|AWS_SESSION_TOKEN|SessionToken|sessionToken|X-Amz-Security-Token|security_token)("?\s*[:=]\s*"?)([^\s"'&,}]+)/g,
    (_m, name, sep) => `${name}${sep}${MASK}`,
  ],
  // STS session tokens recognised by their base64 prefix even when unnamed.
  [/\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{20,}/g, () => MASK],
  // Secret access keys named as such.
  [
    /\b(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secretAccessKey|secret_access_key|secret_key)("?\s*[:=]\s*"?)([A-Za-z0-9/+=]{16,})/g,
    (_m, name, sep) => `${name}${sep}${MASK}`,
  ],
  // Unnamed 40-character secret keys: base64 with both cases, so git SHAs (lowercase hex) are left alone.
  [/(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, () => MASK],
  // Access key ids: keep the prefix and the last four characters, as `aws configure list` does.
  [/\b(AKIA|ASIA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g, (_m, prefix, last) => `${prefix}${'*'.repeat(12)}${last}`],
];

const ACCOUNT_ID = /(?<![\d.])\d{12}(?![\d.])/g;

export function redact(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (match: string, ...groups: string[]) => string);
  if (options.accountIds) out = out.replace(ACCOUNT_ID, '************');
  return out;
}
