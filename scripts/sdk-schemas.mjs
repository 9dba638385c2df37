// An esbuild plugin that lets the bundle keep only the AWS SDK schemas cd-wizard's commands reach.
//
// Each @aws-sdk/client-* package describes every operation's shapes in dist-es/schemas/schemas_0.js as top-level
// arrays, and esbuild drops the arrays nothing imports, except those holding an object with a computed key such as
// `{ [_xN]: _TSa }`: it cannot prove that key harmless, because it inlines only short constant strings. Those keep
// the shapes they reference alive, which for EC2 is most of the 550 KB file, compiled on every run that calls EC2.
// The keys are the file's own `const _xN = "xmlName";` strings, so writing the string in place of the name gives
// the same objects and lets esbuild see them as pure.
import { readFile } from 'node:fs/promises';

const CONSTANT = /^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/** The schema file's text with every computed key that names one of its string constants written as that string. */
export function inlineSchemaKeys(source) {
  const strings = new Map();
  for (const [, name, literal] of source.matchAll(CONSTANT)) strings.set(name, literal);
  return source.replace(COMPUTED_KEY, (whole, name) => (strings.has(name) ? `${strings.get(name)}:` : whole));
}

export const sdkSchemaPlugin = {
  name: 'cd-wizard-sdk-schemas',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => ({
      contents: inlineSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
