// A test program (bundled by io-host.e2e.test.ts): drives the host main.ts creates, the way a command does, in
// one of a few scenarios named by the first argument. Wired like main.ts: create the host, run, fail() on an error,
// close() at the end, exit with the code.
import { createHost } from '../../../src/io/create-host.js';
import type { Host } from '../../../src/io/host.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A step that never ends by itself (until a soft stop, when `untilStopped` is given); keeps the process alive. */
const forever = (untilStopped?: () => boolean) =>
  new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (untilStopped?.()) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
  });

const scenarios: Record<string, (host: Host) => Promise<number>> = {
  /** Live messages, a question, more live messages, the result. */
  async flow(host) {
    host.emit({ code: 'step', level: 'info', text: 'Creating role web-role', live: { key: 'role' } });
    await sleep(1100);
    host.emit({ code: 'step', level: 'success', text: 'Created role web-role', live: { key: 'role', done: true } });
    host.emit({ code: 'look', level: 'info', text: 'Looking at the instances', live: { key: 'look' } });
    await sleep(200);
    // Something in the background speaks while the question is open (fix --wait polls): it must wait for the answer.
    setTimeout(() => {
      host.emit({ code: 'poll', level: 'info', text: 'Deployment d-1 is still running' });
      host.emit({ code: 'poll', level: 'info', text: 'Polling d-1', live: { key: 'poll' } });
    }, 100);
    const group = await host.prompter.input({ id: 'group', message: 'Name of the deployment group', default: 'prod', flag: '--group' });
    host.emit({ code: 'look', level: 'success', text: 'Found 2 instances', live: { key: 'look', done: true } });
    await sleep(200);
    host.emit({ code: 'poll', level: 'success', text: 'Polled d-1', live: { key: 'poll', done: true } });
    host.emit({ code: 'step', level: 'info', text: `Creating deployment group ${group}`, live: { key: 'group' } });
    await sleep(300);
    host.emit({ code: 'step', level: 'success', text: `Created deployment group ${group}`, live: { key: 'group', done: true } });
    host.emit({ code: 'tag', level: 'warning', text: 'Instance i-1 is named "\u001b[2Jevil"' });
    host.result({ text: `RESULT group=${group}`, json: { group } });
    return 0;
  },

  /** A long step with a soft stop: the first Ctrl-C asks it to stop; `finish` ends the step and says so. */
  async soft(host) {
    let stopRequested = false;
    host.onInterrupt(() => ({
      done: '2 of 5 changes are made',
      running: 'deployment d-A1B2C3D4E goes on',
      resume: 'cd-wizard setup --answers cd-wizard.json',
      softStop: () => {
        stopRequested = true;
      },
    }));
    host.emit({ code: 'step', level: 'success', text: 'Created role web-role' });
    host.emit({ code: 'step', level: 'info', text: 'Creating deployment group prod', live: { key: 'group' } });
    if (!process.argv.includes('finish')) await forever();
    await forever(() => stopRequested);
    host.emit({ code: 'step', level: 'success', text: 'Created deployment group prod', live: { key: 'group', done: true } });
    return host.interrupted();
  },

  /** Ctrl-C at a question: PromptCancelledError reaches fail(). */
  async question(host) {
    host.onInterrupt(() => ({ resume: 'cd-wizard setup --app web' }));
    host.emit({ code: 'look', level: 'info', text: 'Looking at the instances', live: { key: 'look' } });
    await sleep(200);
    await host.prompter.confirm({ id: 'apply', message: 'Apply these 3 changes?', default: false });
    return 0;
  },

  /** Ctrl-C with no ink and no question: a SIGINT. */
  async sigint(host) {
    host.onInterrupt(() => ({ done: 'answers saved in cd-wizard.json' }));
    host.emit({ code: 'wait', level: 'info', text: 'Waiting for the deployment' });
    await forever();
    return 0;
  },
};

const name = process.argv[2] ?? 'flow';
const host = createHost({ json: process.argv.includes('--json') });
let code = 0;
try {
  const scenario = scenarios[name];
  if (scenario === undefined) throw new Error(`no scenario ${name}`);
  code = await scenario(host);
} catch (error) {
  code = host.fail(error);
} finally {
  await host.close();
}
process.exitCode = code;
