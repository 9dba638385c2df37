import { createInterface } from 'node:readline/promises';
import type { Choice, QuestionId, SetupPrompter } from './ask.js';

/**
 * A plain line-by-line SetupPrompter (node:readline), used on a terminal until a richer one is plugged in.
 * Questions go to stderr so stdout keeps only results.
 */
export function createLinePrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): SetupPrompter & { close(): void } {
  const rl = createInterface({ input, output, terminal: false });
  const ask = async (text: string) => (await rl.question(text)).trim();
  const write = (text: string) => output.write(`${text}\n`);

  const parsePicks = <T>(answer: string, choices: Array<Choice<T>>): T[] | undefined => {
    const numbers = answer.split(/[\s,]+/).filter((part) => part !== '').map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > choices.length)) return undefined;
    return [...new Set(numbers)].map((n) => (choices[n - 1] as Choice<T>).value);
  };
  const list = <T>(choices: Array<Choice<T>>) => choices.forEach((choice, i) => write(`  ${i + 1}) ${choice.label}${choice.hint ? `  (${choice.hint})` : ''}`));

  return {
    async input({ message, default: fallback, validate }: { id: QuestionId; message: string; default?: string; validate?: (value: string) => string | undefined }) {
      for (;;) {
        const answer = (await ask(`? ${message}${fallback ? ` [${fallback}]` : ''}: `)) || fallback || '';
        const problem = validate?.(answer);
        if (problem === undefined) return answer;
        write(`  ${problem}`);
      }
    },
    async select<T>({ message, choices, default: fallback }: { id: QuestionId; message: string; choices: Array<Choice<T>>; default?: T }) {
      write(`? ${message}`);
      list(choices);
      const index = Math.max(0, choices.findIndex((choice) => choice.value === fallback));
      for (;;) {
        const answer = await ask(`  Number [${index + 1}]: `);
        if (answer === '') return (choices[index] as Choice<T>).value;
        const picks = parsePicks(answer, choices);
        if (picks?.length === 1) return picks[0] as T;
        write(`  Type one number from 1 to ${choices.length}.`);
      }
    },
    async multiSelect<T>({ message, choices, validate }: { id: QuestionId; message: string; choices: Array<Choice<T>>; validate?: (values: T[]) => string | undefined }) {
      write(`? ${message}`);
      list(choices);
      for (;;) {
        const picks = parsePicks(await ask('  Numbers (e.g. 1 3): '), choices);
        const problem = picks === undefined ? `Type numbers from 1 to ${choices.length}.` : validate?.(picks);
        if (picks !== undefined && problem === undefined) return picks;
        write(`  ${problem}`);
      }
    },
    async confirm({ message, default: fallback }: { id: QuestionId; message: string; default: boolean }) {
      const answer = (await ask(`? ${message} ${fallback ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
      return answer === '' ? fallback : answer === 'y' || answer === 'yes';
    },
    close: () => rl.close(),
  };
}
