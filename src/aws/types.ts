/** cd-wizard's own shapes for what the ports return; no SDK types leak past src/aws. */

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, StringOrList>;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Condition?: Record<string, Record<string, StringOrList>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** A tag an instance must carry to be in a deployment group. No value means "any value" (KEY_ONLY). */
export interface TargetTag {
  key: string;
  value?: string;
}
