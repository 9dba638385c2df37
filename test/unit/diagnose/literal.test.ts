import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../src/diagnose/engine.js';
import { passes, prefilterOf, type Prefilter } from '../../../src/diagnose/literal.js';

// Order inside a prefilter is an optimisation (most selective first); compare as sets.
const normal = (prefilter: Prefilter | undefined) => prefilter?.map((branch) => branch.map((oneOf) => [...oneOf].sort()).sort());

describe('prefilterOf', () => {
  it.each([
    ['Missing credentials - please', [[['credentials'], ['missing'], ['please']]]],
    ['Script at specified location: .{1,200}? failed', [[['specified'], ['location:'], ['script'], ['failed']]]],
    ['(?:ApplicationStop|BeforeBlockTraffic) failed', [[['failed'], ['applicationstop', 'beforeblocktraffic']]]],
    ['(?:Aws::CodeDeployCommand|InstanceService)', [[['instanceservice', 'aws::codedeploycommand']]]],
    ['appspec\\.ya?ml file contains', [[['contains'], ['file'], ['appspec.y']]]],
    ['\\bHEALTH_CONSTRAINTS\\b(?!_)', [[['health_constraints']]]],
    ['foo|Rate exceeded', [[['foo']], [['exceeded'], ['rate']]]],
    ['abcd*e', [[['abc']]]],
    ['codedeploy\\S*.{0,200}(?:ThrottlingException|Rate exceeded)', [[['throttlingexception', 'exceeded'], ['codedeploy']]]],
  ])('%s → %j', (source, expected) => {
    expect(normal(prefilterOf(source))).toEqual(normal(expected));
  });

  it.each([
    ['(?:a|b)c', 'a group with no word of three characters'],
    ['ab|cdef', 'a branch with no word'],
    ['\\x41BCDEF', 'an escape it does not model'],
    ['[abc]+\\d', 'only classes'],
  ])('gives up on %s (%s)', (source) => {
    expect(prefilterOf(source)).toBeUndefined();
  });

  // The property that matters: the prefilter never rejects a line the pattern matches.
  it.each([
    ['colou?r scheme', 'color scheme'],
    ['file(s)? already exists', 'file already exists'],
    ['a{0,3}bcde', 'bcde'],
    ['(?:foo)?barbaz', 'barbaz'],
    ['x(?=abc)abcdef', 'xabcdef'],
    ['Script at specified location: .{1,200}? failed with exit code \\d+', 'Script at specified location: a.sh failed with exit code 2'],
    ['(?:LifecycleEvent - )?ApplicationStop.{0,40}(?:Failed|ScriptFailed)', 'ApplicationStop  ScriptFailed'],
  ])('keeps %s for "%s"', (source, sample) => {
    expect(compilePattern(source).test(sample)).toBe(true);
    const prefilter = prefilterOf(source);
    expect(prefilter === undefined || passes(prefilter, sample.toLowerCase())).toBe(true);
  });
});
