import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/diagnose/redact.js';

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

describe('redact: formats the first version missed', () => {
  // AWS's documentation example session token (no IQoJ/FwoG prefix).
  const DOC_TOKEN =
    'AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT+FvwqnKwRcOIfrRh3c/LTo6UDdyJwOOvEVPvLXCrrrUtdnniCEXAMPLE/IvU1dYUg2RVAJBanLiHb4IgRmpRV3zrkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/AXlzBBko7b15fjrBs2+cTQtpZ3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE';
  const NO_DIGIT = 'wJalrXUtnFEMIKMDENGbPxRfiCYEXAMPLEKEYabc';

  it.each([
    ["AWS's documentation session token, unnamed", `token ${DOC_TOKEN} used`, 'token **** used'],
    ['a session token in lowercase header form', `x-amz-security-token: ${DOC_TOKEN.slice(0, 60)}`, 'x-amz-security-token: ****'],
    ['a URL password with / and @ in it', 'http://deploy:p@ss/w0rd@proxy.internal:3128/', 'http://deploy:****@proxy.internal:3128/'],
    ['a bare 40-character secret without a digit', `export X=${NO_DIGIT}`, 'export X=****'],
    ['a secret named SECRET_KEY=', 'SECRET_KEY=abcDEFghiJKLmnoPQRstu', 'SECRET_KEY=****'],
    ['a secret named aws_secret_key=', 'aws_secret_key=abcDEFghiJKLmnoPQRstu', 'aws_secret_key=****'],
    ['a password setting', 'password: hunter2', 'password: ****'],
  ])('masks %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks a secret split over two lines, both halves', () => {
    const out = redact(`aws_secret_access_key = ${SECRET.slice(0, 25)}\n${SECRET.slice(25)} more`);
    expect(out).not.toContain(SECRET.slice(0, 25));
    expect(out).not.toContain(SECRET.slice(25));
    const bare = redact(`key part ${SECRET.slice(0, 17)}\n${SECRET.slice(17)} rest`);
    expect(bare).not.toContain(SECRET.slice(0, 17));
    expect(bare).not.toContain(SECRET.slice(17));
  });
});

describe('redact on paths', () => {
  it('leaves a long slash-separated path without digits alone', () => {
    const path = 'at /opt/CodeDeployAgent/deploymentRoot/Archive/Scripts ok';
    expect(redact(path)).toBe(path);
  });
});
