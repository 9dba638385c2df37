import { StringDecoder } from 'node:string_decoder';
import { BRACKETED_PASTE, feedPaste, initialPaste, type PasteState } from './paste-state.js';

export interface PasteStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

/**
 * Asks for pasted text in the terminal (not full screen: what is pasted stays visible above the answer). Raw mode
 * and bracketed paste are on only while it reads. Resolves the text, or undefined when the user cancelled.
 */
export function readPaste(streams: PasteStreams): Promise<string | undefined> {
  const { stdin, stdout } = streams;
  return new Promise((resolve) => {
    let state: PasteState = initialPaste;
    const decoder = new StringDecoder('utf8');
    const finish = () => {
      stdin.off('data', onData);
      stdin.pause();
      if (stdin.isTTY) stdin.setRawMode(false);
      stdout.write(`${BRACKETED_PASTE.off}\r\n`);
      resolve(state.status === 'done' ? state.text : undefined);
    };
    const onData = (chunk: Buffer | string) => {
      const step = feedPaste(state, typeof chunk === 'string' ? chunk : decoder.write(chunk));
      state = step.state;
      if (step.echo !== '') stdout.write(step.echo);
      if (state.status !== 'reading') finish();
    };
    if (stdin.isTTY) stdin.setRawMode(true);
    stdout.write(BRACKETED_PASTE.on);
    stdin.on('data', onData);
    stdin.resume();
  });
}
