import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { inlineSchemaKeys as inlineUntyped, sdkSchemaPlugin as pluginUntyped } from '../../../scripts/sdk-schemas.mjs';

const inlineSchemaKeys = inlineUntyped as (source: string) => string;
const sdkSchemaPlugin = pluginUntyped as Plugin;

describe('inlineSchemaKeys', () => {
  it('writes the string a computed key names in its place, and leaves every other bracket alone', () => {
    const source = [
      'const _A = "Address";',
      'const _xN = "xmlName";',
      'const _q = "say \\"hi\\"";',
      'export var A$ = [3, n0, _A, 0, [_A], [[() => B$, { [_xN]: _A }], { [_q]: 1, [other]: 2 }]];',
    ].join('\n');
    const out = inlineSchemaKeys(source);
    expect(out).toContain('{ "xmlName": _A }');
    expect(out).toContain('{ "say \\"hi\\"": 1, [other]: 2 }');
    expect(out).toContain('[3, n0, _A, 0, [_A],');
  });
});

/** The EC2 bundle a module that sends only DescribeInstances gets, with or without the plugin. */
async function ec2Bundle(plugins: Plugin[]): Promise<string> {
  const result = await build({
    stdin: { contents: "export { EC2Client, DescribeInstancesCommand } from '@aws-sdk/client-ec2';", resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('sdkSchemaPlugin', () => {
  it('keeps the shapes of the commands a module sends and drops the rest of the service', async () => {
    const [plain, pruned] = await Promise.all([ec2Bundle([]), ec2Bundle([sdkSchemaPlugin])]);
    // An operation nothing sends: its request shape is in the plain bundle only.
    expect(plain).toContain('AcceptAddressTransferRequest');
    expect(pruned).not.toContain('AcceptAddressTransferRequest');
    expect(pruned).toContain('DescribeInstancesRequest');
    expect(pruned).toContain('IamInstanceProfile');
    // The shared SDK core (about 270 KB) is in both; the service part shrinks from about 550 KB to about 50 KB.
    expect(pruned.length).toBeLessThan(plain.length / 2);
  });
});
