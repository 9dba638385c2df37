import { describe, expect, it } from 'vitest';
import { redact } from '../../src/diagnose/redact.js';

// Key material below is AWS's documented example format, not real credentials.
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('redact', () => {
  it.each([
    ['an access key id keeps its prefix and last four', `key ${KEY_ID} used`, 'key AKIA************MPLE used'],
    ['a temporary key id', 'ASIAY34FZKBOKMUTVV7A', 'ASIA************VV7A'],
    ['a named secret key in ini form', `aws_secret_access_key = ${SECRET}`, 'aws_secret_access_key = ****'],
    ['a named secret key in JSON', `{"SecretAccessKey":"${SECRET}"}`, '{"SecretAccessKey":"****"}'],
    ['an unnamed secret key', `export X=${SECRET}`, 'export X=****'],
    ['a session token in env form', 'AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ', 'AWS_SESSION_TOKEN=****'],
    ['a session token in a presigned URL', 'https://b.s3.amazonaws.com/k?X-Amz-Security-Token=FwoGZXIvYXdzEK%2F%2Fabc&X-Amz-Date=1', 'https://b.s3.amazonaws.com/k?X-Amz-Security-Token=****&X-Amz-Date=1'],
    ['a password in a proxy URL', ':proxy_uri: https://deploy:s3cr3t-Pass@proxy.internal:3128', ':proxy_uri: https://deploy:****@proxy.internal:3128'],
  ])('masks %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves git SHAs, deployment ids, instance ids and ordinary text alone', () => {
    const text = 'commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 d-N9VOXSHIB i-0e9fe7b11be081a65 Script failed with exit code 1';
    expect(redact(text)).toBe(text);
  });

  it('masks account ids only when asked', () => {
    const arn = 'arn:aws:ec2:ap-northeast-2:539239817397:instance/i-0e9fe7b11be081a65';
    expect(redact(arn)).toBe(arn);
    expect(redact(arn, { accountIds: true })).toBe('arn:aws:ec2:ap-northeast-2:************:instance/i-0e9fe7b11be081a65');
  });

  it('does not take timestamps or long numbers for account ids', () => {
    expect(redact('at 20230722105639 and 1234567890123', { accountIds: true })).toBe('at 20230722105639 and 1234567890123');
  });
});

describe('redact on paths', () => {
  it('leaves a long slash-separated path without digits alone', () => {
    const path = 'at /opt/CodeDeployAgent/deploymentRoot/Archive/Scripts ok';
    expect(redact(path)).toBe(path);
  });
});
