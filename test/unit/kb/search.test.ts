import { describe, expect, it } from 'vitest';
import { sourceKb } from '../../helpers/kb.js';

const kb = sourceKb();
const top = (query: string, n = 1) => kb.search(query, n).map((hit) => hit.id);

describe('guide search ranking', () => {
  it.each([
    ['missing credentials', 'agent-missing-credentials'],
    ['appspec.yaml', 'appspec-not-found'],
    ['missing credentails', 'agent-missing-credentials'], // one-letter typo
    ['apspec not found', 'appspec-not-found'], // one-letter typo
    ['인스턴스 프로파일', 'instance-profile-roles'], // Korean alias
    ['specified key does not exist', 's3-key-not-found'],
    ['UnrecognizedClientException', 'agent-invalid-token'],
    ['tag groups', 'tag-filters-and-groups'],
    ['is not authorized to perform: iam:PassRole', 'passrole-denied'],
    ['nohup background process', 'script-outputs-left-open'],
  ])('"%s" puts %s first', (query, id) => {
    expect(top(query)).toEqual([id]);
  });

  it('finds a prefix as the user types', () => {
    expect(top('appsp', 5)).toContain('appspec-not-found');
  });

  it('returns nothing for an empty query and for gibberish', () => {
    expect(kb.search('   ')).toEqual([]);
    expect(kb.search('qqxzvbn')).toEqual([]);
    expect(kb.search('xxxxxxxx ----')).toEqual([]);
  });
});

// Every case in the field notes (shared/seeds) must be findable: a search in the words its author would use,
// in Korean or English, has the article in the first three results.
describe('the field notes are findable', () => {
  it.each([
    ['에이전트 재시작', 'agent-install'],
    ['에이전트 로그 위치', 'agent-logs'],
    ['The specified key does not exist', 's3-key-not-found'],
    ['appspec.yml 을 찾지 못함', 'appspec-not-found'],
    ['too many individual instances failed deployment', 'health-constraints'],
    ['lifecycle event not received', 'agent-not-running'],
    ['BeforeInstall appspec missing from build artifact', 'appspec-not-found'],
    ['nohup', 'script-outputs-left-open'],
    ['인스턴스 역할 프로파일', 'instance-profile-roles'],
    ['에이전트 설치', 'agent-install'],
    ['시작 템플릿 오토 스케일링', 'auto-scaling-lifecycle-hook'],
    ['블루/그린 배포', 'in-place-vs-blue-green'],
    ['배포 구성', 'deployment-configurations'],
    ['서비스 역할 신뢰 정책', 'instance-profile-roles'],
    ['permission set iam:PassRole', 'setup-permissions'],
    ['태그 그룹', 'tag-filters-and-groups'],
    ['appspec hooks example', 'appspec-reference'],
    ['Missing credentials', 'agent-missing-credentials'],
    ['GitHub Actions S3 CodeDeploy', 'github-actions-oidc'],
    ['aws deploy push', 's3-revisions-and-push'],
    ['AccessDeniedException polling', 'agent-access-denied'],
    ['UnrecognizedClientException /root/.aws/credentials', 'agent-invalid-token'],
  ])('"%s" finds %s', (query, id) => {
    expect(top(query, 3)).toContain(id);
  });
});
