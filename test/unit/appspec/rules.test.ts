import { describe, expect, it } from 'vitest';
import { lintBundle, memoryBundle } from '../../../src/appspec/lint.js';
import { RULES } from '../../../src/appspec/rules.js';
import type { LintOptions } from '../../../src/appspec/types.js';
import { CLEAN, CLEAN_APPSPEC, TRAP_BUNDLES, TRAPS, type Files } from '../../fixtures/lint-traps.js';

const lint = (files: Files, options: LintOptions = {}) => lintBundle(memoryBundle(files), '/bundle', options);

describe('lint rules', () => {
  it('finds nothing in the clean bundle', () => {
    const report = lint(CLEAN);
    expect(report.findings).toEqual([]);
    expect(report.appspec).toBe('appspec.yml');
    expect(report.os).toBe('linux');
    expect(report.scripts).toEqual(['scripts/stop.sh', 'scripts/install.sh', 'scripts/start.sh', 'scripts/validate.sh']);
  });

  it('has one trap per rule', () => {
    expect(TRAPS.map((trap) => trap.rule).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });

  for (const trap of TRAPS) {
    it(`${trap.rule} fires once on ${trap.name}, and nothing else does`, () => {
      const report = lint(trap.files);
      expect(report.findings.map((finding) => finding.rule)).toEqual([trap.rule]);
      const [finding] = report.findings;
      expect(finding?.file).toBe(trap.at.file);
      if (trap.at.line !== undefined) expect(finding?.line).toBe(trap.at.line);
      expect(finding?.severity).toBe(trap.severity ?? RULES.find((rule) => rule.id === trap.rule)?.severity);
      expect(finding?.message.length).toBeGreaterThan(10);
    });
  }

  it('the trap bundles of the end-to-end tests fire every rule between them, each once per bundle', () => {
    const fired = TRAP_BUNDLES.flatMap((bundle) => {
      const rules = lint(bundle.files).findings.map((finding) => finding.rule);
      expect(rules.sort(), bundle.name).toEqual([...bundle.rules].sort());
      return rules;
    });
    expect([...new Set(fired)].sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });
});

describe('lint details', () => {
  const appspec = (text: string, extra: Files = {}) => lint({ ...CLEAN, 'appspec.yml': { text, mode: 0o644 }, ...extra });
  const rulesOf = (report: ReturnType<typeof lint>) => report.findings.map((finding) => `${finding.rule}@${finding.line ?? '-'}`);

  it('says traffic hooks never run when the group has no load balancer, and nothing when it has one', () => {
    const files = TRAPS.find((trap) => trap.rule === 'appspec-hook-traffic')?.files ?? CLEAN;
    expect(lint(files, { loadBalancer: false }).findings.map((finding) => [finding.rule, finding.severity])).toEqual([['appspec-hook-traffic', 'warning']]);
    expect(lint(files, { loadBalancer: true }).findings).toEqual([]);
  });

  it('explains the quoted version, and accepts 0 written without decimals', () => {
    expect(appspec('version: "0.0"\nos: linux\n').findings[0]?.message).toContain('the text "0.0"');
    expect(appspec('version: 0\nos: linux\n').findings).toEqual([]);
    expect(appspec('version: 1.0\nos: linux\n').findings[0]?.message).toContain('not 1.0');
  });

  it('reports a missing version and os once each, and an empty file once', () => {
    expect(rulesOf(appspec('hooks:\n'))).toEqual(['appspec-os@1', 'appspec-version@1']);
    expect(rulesOf(appspec(''))).toEqual(['appspec-structure@1']);
    expect(rulesOf(appspec('# only a comment\n'))).toEqual(['appspec-structure@1']);
  });

  it('names both places of a repeated hook (the agent keeps only the last)', () => {
    const report = appspec('version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n  ApplicationStart:\n    - location: scripts/start.sh\n');
    expect(report.findings.map((finding) => finding.rule)).toEqual(['appspec-structure']);
    expect(report.findings[0]).toMatchObject({ line: 6, message: expect.stringContaining('also line 4') });
  });

  it('suggests the known key for a near miss at the top level (an error: the section is ignored)', () => {
    const [finding] = appspec('version: 0.0\nos: linux\nHooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n').findings;
    expect(finding).toMatchObject({ rule: 'appspec-structure', severity: 'error', fix: 'rename it to hooks' });
    expect(appspec('version: 0.0\nos: linux\nnotes: hello\n').findings[0]).toMatchObject({ rule: 'appspec-structure', severity: 'warning' });
  });

  it('tells a hook written as a mapping to become a list', () => {
    const [finding] = appspec('version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    location: scripts/start.sh\n').findings;
    expect(finding).toMatchObject({ rule: 'appspec-structure', fix: 'put "- " before location' });
  });

  it('flags a file copied into a folder of its own name', () => {
    const report = appspec('version: 0.0\nos: linux\nfiles:\n  - source: server.js\n    destination: /opt/shop/server.js\n');
    expect(report.findings).toMatchObject([{ rule: 'appspec-files-destination', severity: 'warning', message: expect.stringContaining('/opt/shop/server.js/server.js') }]);
  });

  it('finds a source or script that differs only in case (names are case-sensitive on the instance)', () => {
    const report = appspec('version: 0.0\nos: linux\nfiles:\n  - source: Server.js\n    destination: /opt/shop\nhooks:\n  ApplicationStart:\n    - location: Scripts/start.sh\n');
    expect(report.findings.map((finding) => finding.fix)).toEqual([expect.stringContaining('write server.js'), expect.stringContaining('write scripts/start.sh')]);
  });

  it('explains an absolute hook location and backslashes', () => {
    const report = appspec('version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: /opt/shop/scripts/start.sh\n  ValidateService:\n    - location: scripts\\validate.sh\n');
    expect(report.findings.map((finding) => finding.rule)).toEqual(['script-missing', 'script-missing']);
    expect(report.findings[0]?.fix).toContain('relative to the bundle root');
    expect(report.findings[1]?.fix).toBe('write scripts/validate.sh');
  });

  it('checks permissions: Windows, octal modes, bad characters, types and objects outside the destinations', () => {
    expect(rulesOf(appspec('version: 0.0\nos: windows\npermissions:\n  - object: C:\\app\n'))).toEqual(['appspec-permissions@3']);
    const report = appspec(
      'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /opt/shop\npermissions:\n  - object: /etc/shop\n    mode: 79\n    type: file\n  - owner: shop\n',
    );
    expect(rulesOf(report)).toEqual(['appspec-permissions@7', 'appspec-permissions@8', 'appspec-permissions@9', 'appspec-permissions@10']);
    expect(report.findings[0]?.severity).toBe('warning');
  });

  it('ignores script problems on Windows except their absence, and warns that runas does nothing there', () => {
    const report = appspec('version: 0.0\nos: windows\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n      runas: admin\n    - location: scripts/start.ps1\n', {
      'scripts/start.sh': { text: 'nohup x &\r\n', mode: 0o644 },
    });
    expect(report.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['appspec-runas', 'warning'],
      ['script-missing', 'error'],
    ]);
  });

  it('suggests -d right after up for a foreground docker compose', () => {
    const report = lint({ ...CLEAN, 'scripts/start.sh': { text: '#!/bin/bash\ndocker-compose up art-be\n', mode: 0o755 } });
    expect(report.findings).toMatchObject([{ rule: 'script-foreground-server', fix: 'add -d: docker-compose up -d art-be' }]);
  });

  it('counts severities and sorts findings by file, the AppSpec first', () => {
    const report = lint({ ...CLEAN, 'scripts/start.sh': { text: 'nohup x &\n', mode: 0o644 }, 'appspec.yml': { text: CLEAN_APPSPEC.replace('os: linux', 'os: Linux'), mode: 0o644 } });
    expect(report.findings.map((finding) => finding.file)).toEqual(['appspec.yml', 'scripts/start.sh', 'scripts/start.sh', 'scripts/start.sh']);
    expect([report.errorCount, report.warningCount, report.infoCount]).toEqual([3, 1, 0]);
  });
});
