import {
  createPrompt,
  isBackspaceKey,
  isDownKey,
  isEnterKey,
  isSpaceKey,
  isUpKey,
  makeTheme,
  usePagination,
  usePrefix,
  useState,
  useKeypress,
  type Status,
  type Theme,
} from '@inquirer/core';
import { filterChoices, pickedSummary } from './filter.js';

/**
 * A checkbox list that filters as you type, on @inquirer/core. @inquirer/prompts' `checkbox` cannot filter
 * (letters are its shortcuts) and `search` picks one value only, so the instance picker is this prompt: typed
 * letters narrow the list (matching any column), Space picks the highlighted row, Backspace widens the list
 * again, Enter confirms every pick, also those the filter hides.
 */

export interface FilterChoice<T> {
  value: T;
  /** The row as shown. */
  name: string;
  /** What the answered question shows for this choice. */
  short: string;
  /** What typing matches against (default: the row). */
  filterText?: string;
  checked?: boolean;
}

export interface FilterCheckboxConfig<T> {
  message: string;
  choices: ReadonlyArray<FilterChoice<T>>;
  /** A heading above the rows (column titles), aligned with the labels. */
  header?: string;
  pageSize?: number;
  /** What the list is called in the "3 of 40 instances" line. */
  noun?: string;
  validate?: (values: T[]) => string | undefined;
  theme?: { style?: { message?: (text: string, status: Status) => string; answer?: (text: string) => string; dim?: (text: string) => string; renderSelected?: (shorts: string[]) => string } };
}

/** Hides the cursor while the list is open (inquirer shows it again when the question ends). */
const CURSOR_HIDE = '\u001b[?25l';

/** Columns before a label: the cursor and the box ("❯◉ "). */
export const LABEL_OFFSET = 3;

export const filterCheckbox = createPrompt(<T>(config: FilterCheckboxConfig<T>, done: (value: T[]) => void): string => {
  const theme = makeTheme<Theme>(config.theme as Partial<Theme>);
  const dim = config.theme?.style?.dim ?? ((text: string) => text);
  const [status, setStatus] = useState<Status>('idle');
  const prefix = usePrefix({ status, theme });
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set(config.choices.flatMap((choice, i) => (choice.checked ? [i] : []))));
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);

  const shown = filterChoices(config.choices, filter);
  const values = () => config.choices.filter((_, i) => picked.has(i)).map((choice) => choice.value);

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const problem = config.validate?.(values());
      if (problem !== undefined) {
        setError(problem);
        return;
      }
      setStatus('done');
      done(values());
      return;
    }
    setError(undefined);
    if (isUpKey(key) || isDownKey(key)) {
      if (shown.length > 0) setActive(Math.min(shown.length - 1, Math.max(0, active + (isUpKey(key) ? -1 : 1))));
      return;
    }
    if (isSpaceKey(key)) {
      // The space readline added to the line is not part of the filter.
      rl.clearLine(0);
      rl.write(filter);
      const index = shown[active];
      if (index === undefined) return;
      const next = new Set(picked);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      setPicked(next);
      return;
    }
    if (isBackspaceKey(key) || rl.line !== filter) {
      setFilter(rl.line);
      setActive(0);
    }
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const shorts = config.choices.filter((_, i) => picked.has(i)).map((choice) => choice.short);
    const answer = config.theme?.style?.renderSelected?.(shorts) ?? shorts.join(', ');
    return [prefix, message, theme.style.answer(answer)].join(' ');
  }

  const noun = config.noun ?? 'choices';
  const page = usePagination({
    items: shown,
    active: Math.min(active, Math.max(0, shown.length - 1)),
    renderItem: ({ item, isActive }) => {
      const choice = config.choices[item];
      if (choice === undefined) return '';
      const row = `${isActive ? '❯' : ' '}${picked.has(item) ? '◉' : '◯'} ${choice.name}`;
      return isActive ? theme.style.highlight(row) : row;
    },
    pageSize: config.pageSize ?? 7,
    loop: false,
  });
  const filterLine = filter === '' ? dim(`  Type to filter (${config.choices.length} ${noun})`) : `  Filter: ${filter}${dim(`  ${shown.length} of ${config.choices.length} ${noun}`)}`;
  const lines = [
    `${prefix} ${message}`,
    filterLine,
    ...(config.header === undefined ? [] : [dim(`${' '.repeat(LABEL_OFFSET)}${config.header}`)]),
    shown.length === 0 ? dim(`  Nothing matches "${filter}"; Backspace widens the list.`) : page,
    ' ',
    ...(error === undefined ? [] : [theme.style.error(error)]),
    dim(`↑↓ move • space pick • type to filter • ⏎ confirm${pickedSummary(picked.size, [...picked].filter((i) => !shown.includes(i)).length)}`),
  ];
  return `${lines.join('\n')}${CURSOR_HIDE}`;
});
