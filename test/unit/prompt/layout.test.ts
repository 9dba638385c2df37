import { describe, expect, it } from 'vitest';
import { placeAnswer, wrapIndented, wrapMessage } from '../../../src/prompt/layout.js';

describe('question layout at a fixed width', () => {
  it('wraps help at word boundaries, every line indented, none wider than the terminal', () => {
    const help = 'Letters, digits and . _ + = , @ - (up to 100); usually the name of the service.';
    const lines = wrapIndented(help, 80, 2);
    expect(lines).toEqual(['  Letters, digits and . _ + = , @ - (up to 100); usually the name of the', '  service.']);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
  });

  it('cuts only a word longer than a whole line (an ARN), and keeps the text', () => {
    const arn = `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${'w'.repeat(60)}/0123456789abcdef`;
    const lines = wrapIndented(`Target ${arn}`, 40, 2);
    expect(lines.every((line) => line.length <= 40 && line.startsWith('  '))).toBe(true);
    expect(lines.map((line) => line.slice(2)).join('').replace(/ /g, '')).toBe(`Target${arn}`);
  });

  it('keeps the lines a text already has', () => {
    expect(wrapIndented('Account  123\nRegion   us-east-1', 80, 2)).toEqual(['  Account  123', '  Region   us-east-1']);
  });

  it('wraps a long message after the "? " prefix, continuation under its first letter', () => {
    const message = 'Take instances out of a load balancer target group while deploying? It is only for an ALB or an NLB.';
    const wrapped = wrapMessage(message, 60).split('\n');
    expect(wrapped[0]?.length).toBeLessThanOrEqual(58);
    expect(wrapped.slice(1).every((line) => line.startsWith('  ') && line.length <= 60)).toBe(true);
  });

  it('puts the answer after the message when it fits, else on its own indented line', () => {
    expect(placeAnswer('CodeDeploy application', 'web', 80)).toBe('web');
    const message = 'Instance role (the role the agent on the instances uses)';
    expect(placeAnswer(message, 'CodeDeployInstanceRole (new)', 80)).toBe('\n  CodeDeployInstanceRole (new)');
    expect(placeAnswer(message, 'CodeDeployInstanceRole (new)', 100)).toBe('CodeDeployInstanceRole (new)');
  });
});
