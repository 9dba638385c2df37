import type { AwsPorts } from '../aws/ports/index.js';
import type { Host } from '../io/host.js';
import { follow, legendText, waitMessages, type Snapshot } from './deployment.js';

/**
 * The one deployment watcher, shared by `fix --wait` and `deploy`: says what it watches, shows the legend once the
 * instances are known, one live line per instance, and registers what Ctrl-C says: watching stops, the deployment
 * goes on in AWS, and how to watch it again.
 */

/** How often the watcher polls: a change reaches the screen within this plus one round trip. */
export const WATCH_POLL_MS = 4000;

/** Room a host adds around a line on a terminal: the level's mark before it, the seconds after it. */
const LINE_DECORATION = 8;

export interface WatchOptions {
  /** Event names: `<prefix>.start`, `.legend`, `.deployment`, `.target`. */
  codePrefix: string;
  /** The first line ("Watching d-… (Ctrl-C stops watching; the deployment goes on)."). */
  intro: string;
  /** The command that watches it again, said on Ctrl-C. */
  resume: string;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export async function watchDeployment(io: Host, ports: AwsPorts, deploymentId: string, options: WatchOptions): Promise<Snapshot> {
  const prefix = options.codePrefix;
  io.emit({ code: `${prefix}.start`, level: 'info', text: options.intro, data: { deployment: deploymentId } });
  const off = io.onInterrupt(() => ({ running: `deployment ${deploymentId} goes on`, resume: options.resume }));
  const width = Math.max(40, io.columns - LINE_DECORATION);
  try {
    // An instance (or the deployment) that ended is said once; later polls repeat it and are not news.
    const ended = new Set<string>();
    let legend = false;
    const onSnapshot = (_previous: Snapshot | undefined, next: Snapshot) => {
      const first = next.targets[0];
      if (!legend && first !== undefined && first.lifecycleEvents.length > 0) {
        legend = true;
        const names = first.lifecycleEvents.map((event) => event.name);
        io.emit({ code: `${prefix}.legend`, level: 'info', text: legendText(names, width), data: { events: names } });
      }
      for (const message of waitMessages(next, prefix, width)) {
        const key = message.live?.key;
        if (key !== undefined && ended.has(key)) continue;
        if (key !== undefined && message.live?.done) ended.add(key);
        io.emit(message);
      }
    };
    return await follow(ports, deploymentId, { pollMs: options.pollMs ?? WATCH_POLL_MS, sleep: options.sleep ?? defaultSleep, onSnapshot });
  } finally {
    off();
  }
}
