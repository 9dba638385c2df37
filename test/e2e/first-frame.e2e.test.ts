import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtArticle, builtArticles, requireBuild } from './built.js';
import { expectRestored } from './restored.js';
import { spawnCli, type CliSession } from './pty.js';

// The guide and the home menu draw their first frame with plain strings before ink has loaded; ink then takes
// over and draws the same frame over it. Keys typed before ink runs are kept for it.
beforeAll(requireBuild);

let cli: CliSession | undefined;
afterEach(() => {
  cli?.dispose();
  cli = undefined;
});

/** How many times the program has drawn the text (the first frame once, then ink once more). */
const drawn = (session: CliSession, text: string) => session.raw().split(text).length - 1;

describe('the first frame', () => {
  it('shows the guide before ink loads, and ink takes over without clearing or moving anything', async () => {
    const session = (cli = spawnCli(['guide']));
    const placeholder = `type to search ${builtArticles().length} articles`;
    await session.waitFor(placeholder, 10_000);
    // What the user sees first is the plain frame: ink has not drawn yet.
    expect(drawn(session, placeholder)).toBe(1);
    const first = session.screen();
    expect(session.lines()[0]).toMatch(/^ cd-wizard guide +CodeDeploy troubleshooting ?$/);
    expect(first).toContain(`› ${builtArticles()[0]?.title}`);
    expect(session.lines()[22]).toContain('Esc quit');
    expect(session.lines()[22]).toMatch(new RegExp(`${builtArticles().length} articles$`));
    const rawAtFirstFrame = session.raw().length;

    await session.waitUntil(() => drawn(session, placeholder) === 2, 'ink drawing its first frame');
    expect(session.screen()).toBe(first);
    // ink drew over the frame in place: it never cleared the screen.
    expect(session.raw().slice(rawAtFirstFrame)).not.toContain('\u001b[2J');
    await session.press('esc');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('keeps the keys typed before ink runs, in order, and the search uses them', async () => {
    const session = (cli = spawnCli(['guide'], { keyDelayMs: 2 }));
    await session.waitFor('Search:', 10_000);
    await session.type('missing cred');
    // All typed while only the first frame was on screen.
    expect(drawn(session, `type to search ${builtArticles().length} articles`)).toBe(1);
    await session.waitFor('Search: missing cred');
    await session.waitFor(`› ${builtArticle('agent-missing-credentials').title}`);
    await session.press('esc');
    expect((await session.exited()).exitCode).toBe(0);
  });

  it('keeps keys typed even before the first frame', async () => {
    const session = (cli = spawnCli(['guide'], { keyDelayMs: 1 }));
    await session.type('clock skew');
    await session.waitFor('Search: clock skew', 10_000);
    await session.waitFor(`› ${builtArticle('agent-clock-skew').title.slice(0, 40)}`);
    await session.press('ctrl-c');
    expect((await session.exited()).exitCode).toBe(130);
    expectRestored(session);
  });

  it('shows the home menu before ink loads; arrows pressed meanwhile move the selection', async () => {
    const session = (cli = spawnCli([], { keyDelayMs: 2 }));
    await session.waitFor('What would you like to do?', 10_000);
    expect(drawn(session, 'What would you like to do?')).toBe(1);
    expect(session.highlightedText().find((run) => run.includes('›'))).toContain('› 1. Set up CodeDeploy');
    await session.press('down', 'down');
    expect(drawn(session, 'What would you like to do?')).toBe(1);
    await session.waitUntil(() => session.highlightedText().some((run) => run.includes('› 3. Diagnose a pasted error or log')), 'the third entry selected');
    await session.press('q');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });
});
