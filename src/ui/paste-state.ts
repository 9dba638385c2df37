/**
 * Reading pasted text (an error message, agent log lines) in a raw-mode terminal, as a plain state machine:
 * bytes in, text and what to echo out. The input ends with Ctrl-D, or with Enter typed on an empty line.
 *
 * A paste can hold empty lines, so an empty line only ends the input when it was typed: inside a bracketed
 * paste (the terminal wraps pasted text in ESC[200~ … ESC[201~ once asked to) every byte is text; without it,
 * a line break that arrives together with more text (one chunk) was pasted, and only an Enter that ends a
 * chunk counts as typed. Ctrl-C or Esc cancels.
 */

export const BRACKETED_PASTE = { on: '\u001b[?2004h', off: '\u001b[?2004l', start: '\u001b[200~', end: '\u001b[201~' } as const;

/** Limits what is kept (a pasted log can be long; the diagnosis reads text, not megabytes of it). */
export const PASTE_LIMIT_CHARS = 1_000_000;

export interface PasteState {
  /** The text so far, lines joined with \n. */
  readonly text: string;
  /** Inside ESC[200~ … ESC[201~. */
  readonly inPaste: boolean;
  /** An escape sequence cut between two chunks, kept for the next one. */
  readonly pending: string;
  readonly status: 'reading' | 'done' | 'cancelled';
  /** Characters dropped past PASTE_LIMIT_CHARS. */
  readonly dropped: number;
}

export const initialPaste: PasteState = { text: '', inPaste: false, pending: '', status: 'reading', dropped: 0 };

export interface PasteStep {
  state: PasteState;
  /** What to write back to the terminal so the user sees what was pasted or typed. */
  echo: string;
}

const PRINTABLE_RUN = /[^\u0000-\u001f\u007f]+/y;

function currentLineEmpty(text: string): boolean {
  return text === '' || text.endsWith('\n');
}

/** Feeds one chunk of raw terminal input. */
export function feedPaste(state: PasteState, chunk: string): PasteStep {
  if (state.status !== 'reading') return { state, echo: '' };
  let { text, inPaste, dropped } = state;
  let echo = '';
  const input = state.pending + chunk;
  const add = (piece: string, shown = piece) => {
    const room = PASTE_LIMIT_CHARS - text.length;
    if (room <= 0) {
      dropped += piece.length;
      return;
    }
    text += piece.slice(0, room);
    dropped += Math.max(0, piece.length - room);
    echo += shown;
  };
  for (let at = 0; at < input.length; at += 1) {
    const ch = input[at] ?? '';
    if (ch === '\u001b') {
      const rest = input.slice(at);
      if (rest.startsWith(BRACKETED_PASTE.start)) {
        inPaste = true;
        at += BRACKETED_PASTE.start.length - 1;
        continue;
      }
      if (rest.startsWith(BRACKETED_PASTE.end)) {
        inPaste = false;
        at += BRACKETED_PASTE.end.length - 1;
        continue;
      }
      // A lone Esc (typed) cancels.
      if (input === '\u001b' && !inPaste) return { state: { ...state, text, pending: '', status: 'cancelled', dropped }, echo };
      // The start of a marker cut at the chunk's end: wait for the rest.
      if (BRACKETED_PASTE.start.startsWith(rest) || BRACKETED_PASTE.end.startsWith(rest)) {
        return { state: { text, inPaste, pending: rest, status: 'reading', dropped }, echo };
      }
      // Other escape sequences (arrows) mean nothing here.
      const sequence = /^\u001b(\[[0-9;?]*[ -/]*[@-~]|O.|.)/.exec(rest);
      at += (sequence?.[0].length ?? 1) - 1;
      continue;
    }
    if (!inPaste && ch === '\u0003') return { state: { ...state, text, pending: '', status: 'cancelled', dropped }, echo };
    if (!inPaste && ch === '\u0004') return { state: { text, inPaste, pending: '', status: 'done', dropped }, echo };
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && input[at + 1] === '\n') at += 1;
      const last = at === input.length - 1;
      // Enter typed on an empty line (not part of a paste): the end.
      if (!inPaste && last && currentLineEmpty(text) && text !== '') return { state: { text, inPaste, pending: '', status: 'done', dropped }, echo };
      if (text === '' && !inPaste) continue;
      add('\n', '\r\n');
      continue;
    }
    if (ch === '\u007f' || ch === '\b') {
      // Backspace erases within the current line only (what is on screen above cannot be redrawn here).
      if (!currentLineEmpty(text)) {
        const low = text.charCodeAt(text.length - 1);
        text = text.slice(0, low >= 0xdc00 && low <= 0xdfff ? -2 : -1);
        echo += '\b \b';
      }
      continue;
    }
    if (ch === '\t') {
      add('\t', '    ');
      continue;
    }
    // Other control characters are dropped; a run of printable text is kept and shown at once.
    if (ch < ' ') continue;
    PRINTABLE_RUN.lastIndex = at;
    const run = PRINTABLE_RUN.exec(input)?.[0] ?? ch;
    add(run);
    at += run.length - 1;
  }
  return { state: { text, inPaste, pending: '', status: 'reading', dropped }, echo };
}
