import { checkbox, confirm, input, select, Separator } from '@inquirer/prompts';
import { styleText } from 'node:util';
import {
  PromptCancelledError,
  type Choice,
  type ConfirmQuestion,
  type InputQuestion,
  type MultiSelectQuestion,
  type Prompter,
  type QuestionBase,
  type SelectQuestion,
} from './prompter.js';
import { filterCheckbox } from './filter-checkbox.js';
import { placeAnswer, wrapIndented, wrapMessage } from './layout.js';

/**
 * The terminal Prompter, on @inquirer/prompts: the only module that imports it. Load this module with a dynamic
 * import() where a terminal prompter is needed (setup.ts does), so commands that never ask never load it. The
 * import here is static and named on purpose: esbuild then drops the prompts cd-wizard does not use (the editor
 * prompt alone brings 480 KB of iconv-lite), which it cannot do through `await import('@inquirer/prompts')`.
 * Questions go to `output` (stderr: stdout keeps results only). Every question reads:
 *
 *   ? Message
 *     detail lines (facts the answer depends on, while the question is open)
 *     one line of help
 *     live note (input only: the problem with what is typed, or what it matches)
 *   › (default) typed text
 *
 * and, once answered, collapses to "✔ Message answer". Ctrl-C in a question rejects with PromptCancelledError
 * (inquirer has already put the terminal back: cooked mode, cursor shown); the command decides the exit code.
 * Never open a question while an ink tree that reads input is mounted: both want raw stdin.
 */

export interface InquirerPrompterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Terminal rows, to size lists. Default 24. */
  rows?: number;
  /** Colour for cd-wizard's own parts (help, notes, the answer line). Default true. */
  color?: boolean;
  /** Terminal columns, to wrap text at word boundaries. Default: the output's width as it is now, else 80. */
  columns?: number;
}

type Format = Parameters<typeof styleText>[0];

/** Columns before a checkbox label ("❯◉ ") and before a separator (" "): a header lines up with the labels. */
const CHECKBOX_LABEL_OFFSET = 3;
const SEPARATOR_OFFSET = 1;

export function createInquirerPrompter<Id extends string = string>(options: InquirerPrompterOptions): Prompter<Id> {
  const color = options.color ?? true;
  const paint = (format: Format) => (text: string) => (color ? styleText(format, text) : text);
  const dim = paint('dim');
  const bold = paint('bold');
  const cyan = paint('cyan');
  const red = paint('red');
  const yellow = paint('yellow');
  const rows = options.rows ?? 24;
  const context = { input: options.input, output: options.output, clearPromptOnDone: false };
  // Read on every render, so a resized terminal wraps at its new width.
  const columns = () => options.columns ?? ((options.output as { columns?: number }).columns || 80);
  /** Lines of cd-wizard's own text, wrapped and indented by two under the message. */
  const block = (text: string) => wrapIndented(text, columns(), 2);

  /** Runs one question; Ctrl-C becomes PromptCancelledError. */
  const ask = async <T>(id: Id, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      // ExitPromptError is @inquirer/core's; @inquirer/prompts does not re-export the class, so match its name.
      if (error instanceof Error && error.name === 'ExitPromptError') throw new PromptCancelledError(id);
      throw error;
    }
  };

  /** The lines under the message while the question is open. */
  const openLines = (question: QuestionBase<Id>): string[] => [
    ...(question.details ?? []).flatMap(block),
    ...(question.help === undefined ? [] : block(question.help).map(dim)),
  ];

  /** inquirer's message style: the message, plus the open lines until answered (input puts them in its transformer). */
  const messageStyle = (question: QuestionBase<Id>, withOpenLines: boolean) => (text: string, status: string) => {
    const lines = withOpenLines && status !== 'done' ? openLines(question) : [];
    return [bold(wrapMessage(text, columns())), ...lines].join('\n');
  };

  /** The answer after "✔ message": on the message's line when it fits, else under it (see placeAnswer). */
  const answerStyle = (question: QuestionBase<Id>) => (text: string) => cyan(placeAnswer(wrapMessage(question.message, columns()), text, columns()));

  /** Label plus grey hint, the way select and checkbox show a choice. */
  const choiceName = <T>(choice: Choice<T>) => (choice.hint === undefined ? choice.label : `${choice.label}  ${dim(choice.hint)}`);
  const pageSize = (count: number) => Math.max(5, Math.min(count, rows - 12));

  return {
    input(question: InputQuestion<Id>) {
      // The problem shown live for what is typed; inquirer's own error line repeats it on Enter, so that one is hidden.
      let liveProblem: string | undefined;
      return ask(question.id, () =>
        input(
          {
            message: question.message,
            ...(question.default === undefined ? {} : { default: question.default }),
            validate: (value: string) => question.validate?.(value) ?? true,
            transformer: (value: string, { isFinal }: { isFinal: boolean }) => {
              if (isFinal) {
                const note = question.note?.(value);
                return cyan(placeAnswer(wrapMessage(question.message, columns()), `${value}${note === undefined ? '' : dim(`  ${note}`)}`, columns()));
              }
              const shown = value === '' ? (question.default ?? '') : value;
              liveProblem = value === '' ? undefined : question.validate?.(value);
              const note = liveProblem === undefined && shown !== '' ? question.note?.(shown) : undefined;
              const lines = [
                ...openLines(question),
                ...(liveProblem === undefined ? [] : block(`✗ ${liveProblem}`).map(yellow)),
                ...(note === undefined ? [] : block(note)),
              ];
              // The typed text must end the last line: inquirer puts the cursor by counting back from the end.
              const fallback = value === '' && question.default ? `${dim(`(${question.default})`)} ` : '';
              return `\n${lines.map((line) => `${line}\n`).join('')}${cyan('›')} ${fallback}${value}`;
            },
            theme: {
              style: {
                message: messageStyle(question, false),
                // Shown on the answer line by the transformer instead.
                defaultAnswer: () => '',
                error: (text: string) => (text === liveProblem ? '' : red(`✗ ${text}`)),
              },
            },
          },
          context,
        ),
      );
    },

    select<T>(question: SelectQuestion<Id, T>) {
      return ask(question.id, () =>
        select<T>(
          {
            message: question.message,
            choices: question.choices.map((choice) => ({
              value: choice.value,
              name: choiceName(choice),
              short: choice.short ?? choice.label,
              ...(choice.description === undefined ? {} : { description: choice.description }),
            })),
            ...(question.default === undefined ? {} : { default: question.default }),
            pageSize: pageSize(question.choices.length),
            loop: false,
            theme: { style: { message: messageStyle(question, true), answer: answerStyle(question), description: (text: string) => cyan(wrapIndented(text, columns()).join('\n')) } },
          },
          context,
        ),
      );
    },

    multiSelect<T>(question: MultiSelectQuestion<Id, T>) {
      const picked = new Set(question.default ?? []);
      if (question.filterable) {
        return ask(question.id, () =>
          filterCheckbox<T>(
            {
              message: question.message,
              ...(question.header === undefined ? {} : { header: question.header }),
              ...(question.noun === undefined ? {} : { noun: question.noun }),
              choices: question.choices.map((choice) => ({
                value: choice.value,
                name: choiceName(choice),
                short: choice.short ?? choice.label,
                filterText: [choice.label, choice.hint, choice.short, choice.keywords].filter((text) => text !== undefined).join(' '),
                checked: picked.has(choice.value),
              })),
              // The filter line and the header take two rows more than a plain list.
              pageSize: Math.max(3, pageSize(question.choices.length) - 2),
              ...(question.validate === undefined ? {} : { validate: question.validate }),
              theme: {
                style: {
                  message: messageStyle(question, true),
                  answer: answerStyle(question),
                  dim,
                  renderSelected: (shorts: string[]) => (shorts.length === 0 ? dim('none') : shorts.join(', ')),
                },
              },
            },
            context,
          ),
        );
      }
      return ask(question.id, () => {
        const header = question.header === undefined ? [] : [new Separator(dim(`${' '.repeat(CHECKBOX_LABEL_OFFSET - SEPARATOR_OFFSET)}${question.header}`))];
        return checkbox<T>(
          {
            message: question.message,
            choices: [
              ...header,
              ...question.choices.map((choice) => ({
                value: choice.value,
                name: choiceName(choice),
                short: choice.short ?? choice.label,
                checked: picked.has(choice.value),
                ...(choice.description === undefined ? {} : { description: choice.description }),
              })),
            ],
            pageSize: pageSize(question.choices.length + header.length),
            loop: false,
            validate: (choices: ReadonlyArray<{ value: T }>) => question.validate?.(choices.map((choice) => choice.value)) ?? true,
            theme: {
              style: {
                message: messageStyle(question, true),
                answer: answerStyle(question),
                description: (text: string) => cyan(wrapIndented(text, columns()).join('\n')),
                renderSelectedChoices: <V>(selected: ReadonlyArray<{ short: string; value: V }>) => (selected.length === 0 ? dim('none') : selected.map((choice) => choice.short).join(', ')),
              },
            },
          },
          context,
        );
      });
    },

    confirm(question: ConfirmQuestion<Id>) {
      return ask(question.id, () =>
        confirm(
          {
            message: question.message,
            default: question.default,
            theme: {
              style: {
                // The (y/N) hint follows the message: put it on its own answer line under the open lines.
                message: (text: string, status: string) => (status === 'done' ? bold(wrapMessage(text, columns())) : [bold(wrapMessage(text, columns())), ...openLines(question), cyan('›')].join('\n')),
                answer: answerStyle(question),
              },
            },
          },
          context,
        ),
      );
    },
  };
}
