import { UsageError } from '../errors.js';
import type { ConfirmQuestion, InputQuestion, MultiSelectQuestion, Prompter, QuestionBase, SelectQuestion } from '../prompt/prompter.js';

/**
 * The prompter of the hosts that never ask (plain, json): every question answers its default; a question without
 * one fails with a UsageError naming the flag that answers it, and a default the question's own check rejects fails
 * the same way. Nothing waits for input that will never come.
 */

const CANNOT_ASK = 'when cd-wizard cannot ask (no terminal, --no-input or CI)';

function missing(question: QuestionBase<string>): UsageError {
  if (question.flag === undefined) {
    return new UsageError(`"${question.message}" needs an answer, and cd-wizard cannot ask here (no terminal, --no-input or CI).`, 'Run it in a terminal without --no-input to be asked.');
  }
  return new UsageError(`${question.flag} is required ${CANNOT_ASK}.`, `It answers "${question.message}". Give ${question.flag}, or run in a terminal without --no-input to be asked.`);
}

function rejected(question: QuestionBase<string>, problem: string): UsageError {
  const name = question.flag ?? `"${question.message}"`;
  return new UsageError(`The default answer to ${name} is not valid: ${problem}`, question.flag === undefined ? 'Run it in a terminal to be asked.' : `Give ${question.flag}.`);
}

/** `onDefault` hears each question answered by its default (the hosts report it at debug level). */
export function createDefaultAnswers(onDefault: (question: QuestionBase<string>, answer: unknown) => void = () => undefined): Prompter<string> {
  const answer = <T>(question: QuestionBase<string>, value: T): T => {
    onDefault(question, value);
    return value;
  };
  return {
    async input(question: InputQuestion<string>): Promise<string> {
      if (question.default === undefined) throw missing(question);
      const problem = question.validate?.(question.default);
      if (problem !== undefined) throw rejected(question, problem);
      return answer(question, question.default);
    },
    async select<T>(question: SelectQuestion<string, T>): Promise<T> {
      if (question.default === undefined) throw missing(question);
      return answer(question, question.default);
    },
    async multiSelect<T>(question: MultiSelectQuestion<string, T>): Promise<T[]> {
      if (question.default === undefined) throw missing(question);
      const picked = [...question.default];
      const problem = question.validate?.(picked);
      if (problem !== undefined) throw rejected(question, problem);
      return answer(question, picked);
    },
    async confirm(question: ConfirmQuestion<string>): Promise<boolean> {
      return answer(question, question.default);
    },
  };
}
