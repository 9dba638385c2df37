import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../../src/aws/types.js';
import { sameStatement } from '../../../src/codedeploy/documents.js';
import { outsidePrincipals, repairedTrust, trustVerdict, wantedTrust, type TrustContext } from '../../../src/codedeploy/trust.js';

const ACCOUNT = '123456789012';
const ctx: TrustContext = { partition: 'aws', account: ACCOUNT, region: 'us-east-1', sourceArn: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:shop/prod` };
const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (service: string, extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...extra });

describe('the service role trust cd-wizard writes', () => {
  it('lets CodeDeploy in only for this account (aws:SourceAccount) and its deployment groups (aws:SourceArn)', () => {
    expect(wantedTrust('codedeploy', { partition: 'aws', account: ACCOUNT }).document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codedeploy.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:codedeploy:*:${ACCOUNT}:deploymentgroup:*` } },
        },
      ],
    });
  });

  it('uses the China spellings in aws-cn', () => {
    expect(wantedTrust('codedeploy', { partition: 'aws-cn', account: ACCOUNT }).document.Statement[0]?.Principal).toEqual({ Service: 'codedeploy.amazonaws.com.cn' });
    expect(wantedTrust('ec2', { partition: 'aws-cn', account: ACCOUNT }).document.Statement[0]?.Principal).toEqual({ Service: 'ec2.amazonaws.com.cn' });
    expect(wantedTrust('ec2', { partition: 'aws-us-gov', account: ACCOUNT }).document.Statement[0]?.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });
});

describe('trustVerdict: one answer for setup and fix', () => {
  it.each([
    ['what setup writes', wantedTrust('codedeploy', ctx).document, true, undefined],
    ['no condition', doc(allow('codedeploy.amazonaws.com')), true, undefined],
    ['a list of principals and actions', doc(allow('x', { Principal: { Service: ['lambda.amazonaws.com', 'codedeploy.amazonaws.com'] }, Action: ['sts:TagSession', 'sts:AssumeRole'] })), true, undefined],
    // The regional principal of the deployment's region lets CodeDeploy in; another region's does not.
    ['the regional principal of this region', doc(allow('codedeploy.us-east-1.amazonaws.com')), true, undefined],
    ['only another region’s principal', doc(allow('codedeploy.eu-west-1.amazonaws.com')), false, 'no-statement'],
    // aws:SourceAccount naming another account keeps this account's deployments out.
    ['aws:SourceAccount of another account', doc(allow('codedeploy.amazonaws.com', { Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } })), false, 'other-account'],
    ['aws:SourceArn of another account', doc(allow('codedeploy.amazonaws.com', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:codedeploy:*:999999999999:deploymentgroup:*' } } })), false, 'source-arn'],
    ['aws:SourceArn for this application', doc(allow('codedeploy.amazonaws.com', { Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:shop/*` } } })), true, undefined],
    ['EC2 instead', wantedTrust('ec2', ctx).document, false, 'no-statement'],
    ['an explicit Deny', doc(allow('codedeploy.amazonaws.com'), { Effect: 'Deny', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }), false, 'denied'],
    ['the wrong action', doc(allow('codedeploy.amazonaws.com', { Action: 'sts:TagSession' })), false, 'no-statement'],
    ['no document', undefined, false, 'unreadable'],
  ] as Array<[string, PolicyDocument | undefined, boolean, string | undefined]>)('%s → %s', (_name, trust, allows, reason) => {
    const verdict = trustVerdict(trust, 'codedeploy', ctx);
    expect(verdict.allows).toBe(allows);
    if (!verdict.allows) expect(verdict.reason).toBe(reason);
  });

  it('names conditions it cannot judge instead of pretending', () => {
    const verdict = trustVerdict(doc(allow('codedeploy.amazonaws.com', { Condition: { StringEquals: { 'sts:ExternalId': 'x' } } })), 'codedeploy', ctx);
    expect(verdict).toMatchObject({ allows: true });
    expect(verdict.detail).toContain('sts:ExternalId');
  });
});

describe('repairs', () => {
  it('replace the trust of a role of ours, and add to someone else’s keeping theirs', () => {
    const wanted = wantedTrust('codedeploy', ctx).document;
    const theirs = doc(allow('lambda.amazonaws.com'));
    expect(repairedTrust(theirs, wanted, true)).toEqual(wanted);
    const merged = repairedTrust(theirs, wanted, false);
    expect(merged.Statement).toEqual([...theirs.Statement, ...wanted.Statement]);
    expect(trustVerdict(merged, 'codedeploy', ctx).allows).toBe(true);
    // Repairing twice adds nothing more.
    expect(repairedTrust(merged, wanted, false)).toEqual(merged);
  });

  it('finds principals outside the account that could assume a role', () => {
    const trust = doc(allow('codedeploy.amazonaws.com'), { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999999999999:root', `arn:aws:iam::${ACCOUNT}:root`] }, Action: 'sts:AssumeRole' });
    expect(outsidePrincipals(trust, ACCOUNT)).toEqual(['arn:aws:iam::999999999999:root']);
    expect(outsidePrincipals(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }), ACCOUNT)).toEqual(['*']);
    expect(outsidePrincipals(wantedTrust('codedeploy', ctx).document, ACCOUNT)).toEqual([]);
  });
});

/* ---------- properties ---------- */

const account = fc.stringMatching(/^\d{12}$/);
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-2');
const name = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
const contexts = fc.record({ partition, account, region, app: name, group: name }).map(
  (c): TrustContext => ({ partition: c.partition, account: c.account, region: c.region, sourceArn: `arn:${c.partition}:codedeploy:${c.region}:${c.account}:deploymentgroup:${c.app}/${c.group}` }),
);
const conditionValue = fc.oneof(account, fc.constant('*'), name);
const statement: fc.Arbitrary<PolicyStatement> = fc.record({
  Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  Principal: fc.oneof(
    fc.record({ Service: fc.constantFrom('codedeploy.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com', 'codedeploy.eu-west-1.amazonaws.com') }),
    fc.record({ AWS: fc.oneof(account.map((a) => `arn:aws:iam::${a}:root`), fc.constant('*')) }),
  ),
  Action: fc.constantFrom('sts:AssumeRole', 'sts:TagSession', ['sts:AssumeRole', 'sts:TagSession']),
  Condition: fc.option(fc.record({ StringEquals: fc.record({ 'aws:SourceAccount': conditionValue }) }), { nil: undefined }),
}).map((s) => Object.fromEntries(Object.entries(s).filter(([, value]) => value !== undefined)) as unknown as PolicyStatement);
const trusts = fc.array(statement, { maxLength: 4 }).map((statements) => doc(...statements));

describe('properties (fast-check, fixed seed)', () => {
  const options = { seed: 20261203, numRuns: 300 };

  it('what setup wants passes fix’s trust check, in every partition, account and region', () => {
    fc.assert(
      fc.property(contexts, (c) => {
        expect(trustVerdict(wantedTrust('codedeploy', c).document, 'codedeploy', c).allows).toBe(true);
        expect(trustVerdict(wantedTrust('ec2', c).document, 'ec2', c).allows).toBe(true);
      }),
      options,
    );
  });

  it('a repair makes the check pass (unless an explicit Deny forbids it), for roles of ours and of others', () => {
    fc.assert(
      fc.property(contexts, trusts, fc.boolean(), (c, current, owned) => {
        const repaired = repairedTrust(current, wantedTrust('codedeploy', c).document, owned);
        const verdict = trustVerdict(repaired, 'codedeploy', c);
        if (!verdict.allows) expect(verdict.reason).toBe('denied');
        if (owned) expect(verdict.allows).toBe(true);
      }),
      options,
    );
  });

  it('no repair drops a statement or a condition: everything that was there is there after', () => {
    fc.assert(
      fc.property(contexts, trusts, (c, current) => {
        const withOurs = doc(...current.Statement, ...wantedTrust('codedeploy', c).document.Statement);
        const repaired = repairedTrust(withOurs, wantedTrust('codedeploy', c).document, false);
        for (const before of withOurs.Statement) expect(repaired.Statement.some((after) => sameStatement(after, before))).toBe(true);
      }),
      options,
    );
  });
});
