import * as z from 'zod';
import { CAUSE_IDS } from './types.js';

/**
 * The front matter of a content/*.md article. Used by the build (scripts/build.mjs) and the content tests;
 * never at run time, so zod stays out of the shipped start-up path for the guide.
 */
const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and dashes');
const causeId = z.enum(CAUSE_IDS);

const fixStep = z.strictObject({
  text: z.string().min(1),
  command: z.string().min(1).optional(),
});

const regexSource = z.string().min(1).refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

export const causeRuleSchema = z.strictObject({
  cause: causeId,
  title: z.string().min(1).max(100),
  severity: z.enum(['error', 'warning', 'info']),
  specificity: z.number().int().min(0).max(100),
  rollup: z.boolean().optional(),
  match: z.array(regexSource).min(1),
  requires: z.array(regexSource).optional(),
  unless: z.array(regexSource).optional(),
  explain: z.string().min(1),
  fix: z.array(fixStep).min(1),
});

export const frontMatterSchema = z.strictObject({
  id: kebabId,
  title: z.string().min(1).max(90),
  summary: z.string().min(1).max(240),
  tags: z.array(z.string().min(1)).min(1),
  aliases: z.array(z.string().min(1)).default([]),
  causes: z.array(causeId).default([]),
  related: z.array(kebabId).default([]),
  rules: z.array(causeRuleSchema).default([]),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
