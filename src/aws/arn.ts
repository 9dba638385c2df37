/** Reading the parts of an ARN: arn:<partition>:<service>:<region>:<account>:<resource>. */

/** The last segment of the resource: arn:aws:iam::1:role/path/Name → Name (roles, instance profiles, policies). */
export function nameOfArn(arn: string): string {
  return arn.split(':').slice(5).join(':').split('/').pop() ?? '';
}

/** The account id (arn:aws:iam::123456789012:role/x → 123456789012), when there is a valid one. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The partition (aws, aws-cn, aws-us-gov); aws when unknown. */
export function partitionOfArn(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}
