/**
 * How commands ask the user things. Commands depend on this interface only; the terminal implementation
 * (src/prompt/inquirer-prompter.ts, the one module that imports @inquirer/prompts) is injected, and tests
 * answer by question id, never by the text on screen.
 */
export interface Choice<T> {
  label: string;
  value: T;
  /** A short grey note after the label (state, current profile, …). */
  hint?: string;
  /** A longer line shown under the list while this choice is highlighted. */
  description?: string;
  /** What the answered question shows for this choice (default: the label). */
  short?: string;
}

/** What every question may carry besides its message. */
export interface QuestionBase<Id extends string> {
  id: Id;
  message: string;
  /** One line under the message while the question is open: what the answer is for, what the default does. */
  help?: string;
  /** Lines shown between the message and the help while the question is open (facts the answer depends on). */
  details?: readonly string[];
  /** The flag that answers this question without a terminal ("--app"); named when a host cannot ask. */
  flag?: string;
}

export interface InputQuestion<Id extends string> extends QuestionBase<Id> {
  default?: string;
  /** Checked as the user types and again on Enter; a string is the problem, in words. */
  validate?: (value: string) => string | undefined;
  /** A live note about the value being typed (or the default while nothing is typed), e.g. how many instances a tag matches. */
  note?: (value: string) => string | undefined;
}

export interface SelectQuestion<Id extends string, T> extends QuestionBase<Id> {
  choices: Array<Choice<T>>;
  default?: T;
}

export interface MultiSelectQuestion<Id extends string, T> extends QuestionBase<Id> {
  choices: Array<Choice<T>>;
  /** Values picked at the start. */
  default?: readonly T[];
  /** A heading above the choices, aligned with their labels (column titles of a table). */
  header?: string;
  validate?: (values: T[]) => string | undefined;
}

export interface ConfirmQuestion<Id extends string> extends QuestionBase<Id> {
  /** Destructive or costly questions pass false. */
  default: boolean;
}

export interface Prompter<Id extends string = string> {
  input(question: InputQuestion<Id>): Promise<string>;
  select<T>(question: SelectQuestion<Id, T>): Promise<T>;
  multiSelect<T>(question: MultiSelectQuestion<Id, T>): Promise<T[]>;
  confirm(question: ConfirmQuestion<Id>): Promise<boolean>;
}

/**
 * The user pressed Ctrl-C in a prompt. Nothing has been changed at that point (commands ask everything
 * before they change anything); the command says so and exits with ExitCode.Interrupted.
 */
export class PromptCancelledError extends Error {
  constructor(readonly questionId: string) {
    super('Cancelled; nothing was changed.');
    this.name = 'PromptCancelledError';
  }
}

