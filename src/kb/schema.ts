import * as z from 'zod';
import { LIFECYCLE_EVENTS } from '../diagnose/facts.js';
import { compilePattern } from '../diagnose/rules.js';

/**
 * The front matter of a content/*.md article. Used by the build (scripts/build.mjs) and the content tests;
 * never at run time, so zod stays out of the shipped start-up path for the guide. Ids are checked against the
 * articles themselves (src/kb/source.ts checkArticles), not against a hand-kept list.
 */
const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and dashes');

const fixStep = z.strictObject({
  text: z.string().min(1),
  command: z.string().min(1).optional(),
});

const regexSource = z.string().min(1).refine(
  (source) => {
    try {
      // As written (strict unicode syntax), and as the engine compiles it (a space becomes \s*).
      new RegExp(source, 'iu');
      compilePattern(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const conditions = z.strictObject({
  event: z.array(z.enum(LIFECYCLE_EVENTS)).min(1).optional(),
  exitCode: z.array(z.number().int().min(-255).max(255)).min(1).optional(),
  errorCode: z.array(z.string().regex(/^[A-Za-z_]+$/)).min(1).optional(),
  stderr: z.array(regexSource).min(1).optional(),
});

export const causeRuleSchema = z
  .strictObject({
    cause: kebabId,
    title: z.string().min(1).max(100),
    severity: z.enum(['error', 'warning', 'info']),
    specificity: z.number().int().min(0).max(100),
    rollup: z.boolean().optional(),
    match: z.array(regexSource).default([]),
    requires: z.array(regexSource).optional(),
    unless: z.array(regexSource).optional(),
    when: conditions.optional(),
    whenNot: conditions.optional(),
    refines: z.array(kebabId).min(1).optional(),
    absorbs: z.array(kebabId).min(1).optional(),
    because: z.string().min(1).max(300).optional(),
    explain: z.string().min(1),
    fix: z.array(fixStep).min(1),
  })
  .refine((rule) => rule.match.length > 0 || (rule.refines?.length ?? 0) > 0, { message: 'needs match patterns, or refines with the causes it takes over' })
  .refine((rule) => (rule.refines === undefined && rule.absorbs === undefined) || rule.because !== undefined, { message: 'refines/absorbs need because: why this cause and not the other one' });

export const frontMatterSchema = z.strictObject({
  id: kebabId,
  title: z.string().min(1).max(90),
  summary: z.string().min(1).max(240),
  tags: z.array(z.string().min(1)).min(1),
  aliases: z.array(z.string().min(1)).default([]),
  causes: z.array(kebabId).default([]),
  related: z.array(kebabId).default([]),
  rules: z.array(causeRuleSchema).default([]),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
