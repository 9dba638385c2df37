import { describe, expect, it } from 'vitest';
import type { ReadText } from '../../../src/aws/credentials.js';
import { AwsError, translateAwsError, type CallInfo, type CallTarget } from '../../../src/aws/errors.js';
import { parseAccessDenied } from '../../../src/aws/sdk-error.js';

const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

function files(config = '', credentials = ''): ReadText {
  return (path) => (path.endsWith('config') ? config : path.endsWith('credentials') ? credentials : undefined);
}

const target = (extra: Partial<CallTarget> = {}): CallTarget => ({ region: 'eu-west-1', env: { HOME: '/home/u' }, readText: files(), ...extra });
const iam = (operation: string): CallInfo => ({ service: 'IAM', operation });

describe('parseAccessDenied', () => {
  it.each([
    [
      'IAM',
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/CodeDeployServiceRole because no identity-based policy allows the iam:CreateRole action',
      { principal: 'arn:aws:iam::123456789012:user/bob', action: 'iam:CreateRole', resource: 'arn:aws:iam::123456789012:role/CodeDeployServiceRole', reason: 'no identity-based policy allows the iam:CreateRole action' },
    ],
    [
      'EC2 with an encoded message',
      'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc because no identity-based policy allows the ec2:CreateTags action. Encoded authorization failure message: AbCdEf123',
      { principal: 'arn:aws:sts::123456789012:assumed-role/Dev/alice', action: 'ec2:CreateTags', resource: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc' },
    ],
    [
      'SCP deny',
      'User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: codedeploy:CreateApplication on resource: arn:aws:codedeploy:eu-west-1:123456789012:application:web with an explicit deny in a service control policy',
      { action: 'codedeploy:CreateApplication', reason: 'an explicit deny in a service control policy' },
    ],
    ['no resource', 'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:GetCallerIdentity', { action: 'sts:GetCallerIdentity' }],
    ['unparseable', 'Access Denied', {}],
  ])('%s', (_name, message, expected) => {
    expect(parseAccessDenied(message)).toMatchObject(expected);
  });
});

describe('translateAwsError', () => {
  it('names the missing action, the resource and who needs it', () => {
    const error = translateAwsError(
      sdkError('AccessDenied', 'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/R because no identity-based policy allows the iam:CreateRole action'),
      iam('CreateRole'),
      target(),
    );
    expect(error).toBeInstanceOf(AwsError);
    expect(error.kind).toBe('access-denied');
    expect(error.message).toBe('user/bob is not allowed to call iam:CreateRole on arn:aws:iam::123456789012:role/R.');
    expect(error.hint).toBe(
      'Ask an administrator to allow iam:CreateRole on arn:aws:iam::123456789012:role/R for arn:aws:iam::123456789012:user/bob, or run with a --profile that has it. Permissions setup needs: cd-wizard guide --show setup-permissions',
    );
  });

  it('falls back to the operation when EC2 does not say which action', () => {
    const error = translateAwsError(sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: xyz'), { service: 'EC2', operation: 'AssociateIamInstanceProfile' }, target({ profile: 'dev' }));
    expect(error.message).toBe('profile dev is not allowed to call ec2:AssociateIamInstanceProfile.');
  });

  it('gives iam:PassRole its own explanation and points to the permissions guide', () => {
    const error = translateAwsError(
      sdkError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/CodeDeployServiceRole'),
      { service: 'CodeDeploy', operation: 'CreateDeploymentGroup' },
      target(),
    );
    expect(error.message).toBe('assumed-role/Dev/alice may not pass the role arn:aws:iam::123456789012:role/CodeDeployServiceRole to AWS (iam:PassRole), so CodeDeploy CreateDeploymentGroup was refused.');
    expect(error.hint).toContain('cd-wizard guide --show setup-permissions');
    expect(error.hint).toContain('codedeploy.amazonaws.com');
  });

  it('says an explicit deny cannot be fixed by adding an allow', () => {
    const error = translateAwsError(
      sdkError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/Dev/a is not authorized to perform: codedeploy:CreateApplication on resource: x with an explicit deny in a service control policy'),
      { service: 'CodeDeploy', operation: 'CreateApplication' },
      target(),
    );
    expect(error.message).toContain('(an explicit deny in a service control policy)');
    expect(error.hint).toMatch(/^An explicit deny wins over any allow/);
  });

  describe('credentials end with the exact next command', () => {
    it.each([
      ['nothing configured', sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), target(), /^AWS credentials are missing, so/, 'No AWS credentials are configured. Set them up: aws configure (or aws configure sso), then try again.'],
      [
        'an SSO profile whose session expired',
        sdkError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'),
        target({ profile: 'dev', readText: files('[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n') }),
        /^Your AWS credentials \(profile dev\) have expired\.$/,
        'Sign in again: aws sso login --profile dev',
      ],
      [
        'an expired token on a legacy SSO default profile',
        sdkError('ExpiredTokenException', 'The security token included in the request is expired'),
        target({ readText: files('[default]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n') }),
        /have expired/,
        'Sign in again: aws sso login',
      ],
      [
        'rejected static keys',
        sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
        target({ profile: 'ci', readText: files('', '[ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n') }),
        /^AWS rejected your credentials \(profile ci\) \(InvalidClientTokenId\)\.$/,
        'Replace the access key of profile ci: aws configure --profile ci',
      ],
      [
        'a profile that does not exist',
        sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
        target({ profile: 'typo' }),
        /profile typo/,
        'Profile typo is not in ~/.aws/config or ~/.aws/credentials. Create it: aws configure sso --profile typo (or aws configure --profile typo)',
      ],
      [
        'expired temporary keys in the environment',
        sdkError('ExpiredToken', 'The security token included in the request is expired'),
        target({ env: { HOME: '/h', AWS_ACCESS_KEY_ID: 'ASIAXXXXXXXXXXXXXXXX', AWS_SESSION_TOKEN: 't' } }),
        /have expired/,
        expect.stringMatching(/AWS_SESSION_TOKEN are not valid/),
      ],
    ])('%s', (_name, sdk, where, message, hint) => {
      const error = translateAwsError(sdk, { service: 'STS', operation: 'GetCallerIdentity' }, where);
      expect(error.kind).toBe('credentials');
      expect(error.message).toMatch(message);
      expect(error.hint).toEqual(hint);
    });
  });

  describe('an unreachable endpoint says which', () => {
    it('from --endpoint-url', () => {
      const error = translateAwsError(sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:4566', { code: 'ECONNREFUSED' }), iam('GetRole'), target({ endpointUrl: 'http://127.0.0.1:4566' }));
      expect(error.kind).toBe('unreachable');
      expect(error.message).toBe('Cannot reach IAM at http://127.0.0.1:4566 (from --endpoint-url): connection refused.');
      expect(error.hint).toBe('Is the server at http://127.0.0.1:4566 running? Check --endpoint-url.');
    });

    it('from a service-specific environment variable', () => {
      const error = translateAwsError(
        sdkError('TimeoutError', 'Connection timed out after 5000 ms'),
        { service: 'CodeDeploy', operation: 'GetApplication' },
        target({ env: { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_CODEDEPLOY: 'http://localhost:9000' } }),
      );
      expect(error.message).toBe('Cannot reach CodeDeploy at http://localhost:9000 (from AWS_ENDPOINT_URL_CODEDEPLOY): timed out.');
    });

    it('the real regional endpoint, through a wrapped cause', () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND ec2.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' });
      const error = translateAwsError(Object.assign(new Error('request failed'), { name: 'Error', cause }), { service: 'EC2', operation: 'DescribeInstances' }, target());
      expect(error.message).toBe('Cannot reach EC2 at https://ec2.eu-west-1.amazonaws.com: host not found.');
      expect(error.hint).toContain('HTTPS_PROXY');
    });

    it('IAM in China has a regional endpoint', () => {
      const error = translateAwsError(sdkError('Error', 'x', { code: 'ECONNRESET' }), iam('GetRole'), target({ region: 'cn-north-1' }));
      expect(error.message).toContain('https://iam.cn-north-1.amazonaws.com.cn');
    });
  });

  it('recognises IAM propagation delays so apply can retry them', () => {
    expect(translateAwsError(sdkError('InvalidRoleException', 'Cannot assume role provided.'), { service: 'CodeDeploy', operation: 'CreateDeploymentGroup' }, target()).kind).toBe('iam-propagation');
    expect(
      translateAwsError(sdkError('InvalidParameterValue', 'Value (P) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name'), { service: 'EC2', operation: 'AssociateIamInstanceProfile' }, target()).kind,
    ).toBe('iam-propagation');
    // CodeDeploy's other wording for a role it cannot assume yet (CreateDeploymentGroup and CreateDeployment).
    const permissions = 'AWS CodeDeploy does not have the permissions required to assume the role arn:aws:iam::123456789012:role/CodeDeployServiceRole';
    for (const operation of ['CreateDeploymentGroup', 'CreateDeployment']) {
      const error = translateAwsError(sdkError('InvalidRoleException', permissions), { service: 'CodeDeploy', operation }, target());
      expect(error.kind, operation).toBe('iam-propagation');
      expect(error.message).toBe(`CodeDeploy ${operation} failed because IAM changes have not reached CodeDeploy yet: ${permissions}`);
    }
    expect(translateAwsError(sdkError('InvalidRoleException', 'The service role ARN is invalid.'), { service: 'CodeDeploy', operation: 'CreateDeploymentGroup' }, target()).kind).toBe('other');
  });

  it('reports throttling that outlived the retries', () => {
    const error = translateAwsError(sdkError('ThrottlingException', 'Rate exceeded'), { service: 'CodeDeploy', operation: 'ListApplications' }, target());
    expect(error.kind).toBe('throttled');
    // Neutral: the command (setup) adds how it resumes.
    expect(error.hint).toBe('Wait a minute and run the same command again.');
  });

  it('masks access keys in anything it echoes', () => {
    const error = translateAwsError(sdkError('ValidationError', 'bad key AKIAIOSFODNN7EXAMPLE in request'), iam('CreateRole'), target());
    expect(error.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(error.message).toContain('AKIA************MPLE');
  });
});

describe('answers that are not from AWS never reach the user raw', () => {
  const response = (statusCode: number, type: string, body: string) => ({ statusCode, headers: { 'content-type': type }, body });
  const deserialization = (status: number, type: string, body: string) =>
    Object.assign(
      sdkError('SyntaxError', `Unexpected token '<', "${body.slice(0, 10)}"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`),
      { $metadata: { httpStatusCode: status }, $response: response(status, type, body) },
    );

  it.each([
    ['an HTML page where JSON was expected', deserialization(200, 'text/html', '<!DOCTYPE html><html>nginx</html>'), 'HTTP 200, an HTML page'],
    ['XML where JSON was expected', deserialization(500, 'text/xml', '<Error><Code>InternalError</Code></Error>'), 'HTTP 500, XML it cannot read'],
    ['a bare 404 from a wrong endpoint', Object.assign(sdkError('NotFound', 'Unknown'), { $metadata: { httpStatusCode: 404 }, $response: response(404, 'text/plain', '') }), 'HTTP 404'],
  ])('%s', (_name, raw, says) => {
    const error = translateAwsError(raw, { service: 'CodeDeploy', operation: 'GetDeploymentGroup' }, target({ endpointUrl: 'http://127.0.0.1:9' }));
    expect(error.message).toContain(`CodeDeploy GetDeploymentGroup got an answer that is not from AWS (${says}`);
    expect(error.message).toContain('at http://127.0.0.1:9 (from --endpoint-url)');
    expect(error.hint).toBe('Check --endpoint-url: it must point at AWS or at an emulator that serves CodeDeploy (for example http://127.0.0.1:4566); nothing was changed.');
    expect(`${error.message} ${error.hint}`).not.toMatch(/SyntaxError|Deserialization|\$response|Unknown: Unknown/);
  });

  it('blames a proxy or portal when the endpoint is AWS’s own, and leaves S3’s own 404 alone', () => {
    const page = translateAwsError(deserialization(200, 'text/html', '<html>login</html>'), { service: 'CodeDeploy', operation: 'ListApplications' }, target());
    expect(page.hint).toContain('a proxy or a captive portal');
    const missing = translateAwsError(Object.assign(sdkError('NotFound', ''), { $metadata: { httpStatusCode: 404 } }), { service: 'S3', operation: 'HeadBucket' }, target());
    expect(missing.kind).toBe('not-found');
  });
});
