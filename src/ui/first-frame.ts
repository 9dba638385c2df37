import type { FrameLines } from './frames.js';
import { enterAltScreen, ESC, type AltScreen } from './terminal-screen.js';

/**
 * The first frame of a full-screen view, written with plain strings as soon as the command starts, while ink
 * (~0.3 s of imports and a first render) loads. The frame comes from the same function ink will display
 * (src/ui/frames.ts), so when ink takes over, drawing over it from the top-left corner, nothing moves.
 * Meanwhile the terminal is in raw mode and the keys typed are kept; handOver() puts them back into stdin,
 * where ink reads them first. Ctrl-C is kept like any key: ink handles it as soon as it runs.
 */

export interface FirstFrameStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

/** The frame for a terminal of `columns` × `rows`. */
export type DrawFrame = (columns: number, rows: number) => FrameLines;

const sizeOf = (stdout: NodeJS.WriteStream) => ({ columns: stdout.columns > 0 ? stdout.columns : 80, rows: stdout.rows > 0 ? stdout.rows : 24 });

export class FirstFrame {
  private readonly keys: Buffer[] = [];
  private handedOver = false;

  private constructor(
    private readonly streams: FirstFrameStreams,
    private readonly draw: DrawFrame,
    /** The alternate screen the frame is in; the ink screens that follow stay in it. */
    readonly screen: AltScreen,
  ) {}

  /** Enters the alternate screen and draws the frame; keys are kept from now on. */
  static show(streams: FirstFrameStreams, draw: DrawFrame): FirstFrame {
    const { stdin, stdout } = streams;
    // Raw mode first: a key pressed while the frame is written is a key, not an echo on the screen.
    if (stdin.isTTY) stdin.setRawMode(true);
    const frame = new FirstFrame(streams, draw, enterAltScreen(stdout));
    frame.paint();
    // Read the way ink reads ('readable', then read()), not in flowing mode: ink's listener then simply follows
    // this one on the same stream.
    stdin.on('readable', frame.keep);
    stdout.on('resize', frame.paint);
    return frame;
  }

  private readonly keep = () => {
    for (let chunk: unknown = this.streams.stdin.read(); chunk !== null; chunk = this.streams.stdin.read()) {
      this.keys.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    }
  };

  private readonly paint = () => {
    const { columns, rows } = sizeOf(this.streams.stdout);
    // The cursor goes back to the top-left corner: ink's first frame is written from there, over this one.
    this.streams.stdout.write(`${ESC.cursorHide}${ESC.clearHome}${this.draw(columns, rows).join('\n')}${ESC.home}`);
  };

  /**
   * Stops keeping keys and redrawing: call it right before ink renders. The keys typed meanwhile go back to the
   * front of stdin, in order, for ink's input handler. Raw mode stays on (ink keeps it).
   */
  handOver(): void {
    if (this.handedOver) return;
    this.handedOver = true;
    const { stdin, stdout } = this.streams;
    stdin.off('readable', this.keep);
    stdout.off('resize', this.paint);
    if (this.keys.length > 0) stdin.unshift(Buffer.concat(this.keys));
    this.keys.length = 0;
  }
}

/** Which full-screen view a first frame belongs to. */
export type FirstFrameView = 'guide' | 'home';

/** What runHome and runGuideTui need of a first frame drawn by bin/. */
export type EarlyFrame = Pick<FirstFrame, 'handOver' | 'screen'>;

/**
 * A first frame drawn by bin/ before the CLI itself had loaded (src/first-frame-entry.ts, bundled on its own
 * into dist/first-frame.js so that it loads as one file), waiting for the view it belongs to. A process-wide slot
 * on purpose: it is the hand-off between two separately bundled entry points.
 */
const SLOT = Symbol.for('cd-wizard.early-frame');
type Slot = { [SLOT]?: { view: FirstFrameView; frame: EarlyFrame } };

export function setEarlyFrame(view: FirstFrameView, frame: EarlyFrame): void {
  (globalThis as Slot)[SLOT] = { view, frame };
}

/** The frame bin/ drew for `view`, if any; only the first caller gets it. */
export function claimEarlyFrame(view: FirstFrameView): EarlyFrame | undefined {
  const slot = globalThis as Slot;
  const early = slot[SLOT];
  if (early?.view !== view) return undefined;
  delete slot[SLOT];
  return early.frame;
}
