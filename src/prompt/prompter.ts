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
}

export interface Prompter<Id extends string = string> {
  input(question: { id: Id; message: string; default?: string; validate?: (value: string) => string | undefined }): Promise<string>;
  select<T>(question: { id: Id; message: string; choices: Array<Choice<T>>; default?: T }): Promise<T>;
  multiSelect<T>(question: { id: Id; message: string; choices: Array<Choice<T>>; validate?: (values: T[]) => string | undefined }): Promise<T[]>;
  /** Destructive or costly questions pass default: false. */
  confirm(question: { id: Id; message: string; default: boolean }): Promise<boolean>;
}
