import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtArticle, builtArticles, requireBuild, runPlain } from './built.js';
import { expectRestored } from './restored.js';
import { BIN, spawnCli, spawnInPty, type CliSession, type KeyName } from './pty.js';

// The interactive guide, driven like a person would: the built binary in an 80×24 pseudo-terminal, one key per write.
beforeAll(requireBuild);

let cli: CliSession | undefined;
afterEach(() => {
  cli?.dispose();
  cli = undefined;
});

const ARTICLE = builtArticle('agent-missing-credentials');
/** "lines 1–20 of 52 (38%)" → the numbers. */
function position(screen: string): { first: number; last: number; total: number } {
  const match = /lines (\d+)–(\d+) of (\d+)/.exec(screen);
  if (!match) throw new Error(`no position in the title bar. Screen:\n${screen}`);
  return { first: Number(match[1]), last: Number(match[2]), total: Number(match[3]) };
}

/** The title bar (first row) starts with the title; long titles are cut to leave room for the position. */
function titleBarShows(screen: string, title: string): boolean {
  return screen.split('\n')[0]?.startsWith(` ${title.slice(0, 40)}`) ?? false;
}

async function openGuide(cols = 80, rows = 24): Promise<CliSession> {
  cli = spawnCli(['guide'], { cols, rows });
  await cli.waitFor('Search:', 10_000);
  return cli;
}

describe('cd-wizard guide on a terminal', () => {
  it('searches as you type, reads, scrolls, finds, follows a related article and goes back', async () => {
    const session = await openGuide();
    const firstFrame = session.elapsed();
    console.log(`first guide frame after ${firstFrame.toFixed(0)} ms`);
    expect(session.screen()).toContain(`type to search ${builtArticles().length} articles`);
    expect(session.lines()[22]).toContain('Esc quit');

    await session.type('missing cred');
    await session.waitFor('Search: missing cred');
    await session.waitFor(`› ${ARTICLE.title}`);
    // The first result is the selected one, shown highlighted.
    expect(session.lines()[3]).toContain(`› ${ARTICLE.title}`);
    expect(session.highlightedText()).toContain(`› ${ARTICLE.title}`);

    await session.press('enter');
    await session.waitFor(/lines 1–20 of \d+/);
    expect(titleBarShows(session.screen(), ARTICLE.title)).toBe(true);
    expect(session.screen()).toContain('What you see');
    const { total } = position(session.screen());
    expect(total).toBeGreaterThan(40);

    // A page is the window's 20 rows less one of overlap; the last page stops at the end.
    const afterSpace = Math.min(20 + 19, total - 20);
    const scrolling: [KeyName, string][] = [
      ['down', 'lines 2–21'],
      ['j', 'lines 3–22'],
      ['k', 'lines 2–21'],
      ['pgdn', 'lines 21–40'],
      ['space', `lines ${afterSpace + 1}–${afterSpace + 20} `],
      ['pgup', `lines ${afterSpace - 18}–${afterSpace + 1} `],
      ['G', `lines ${total - 19}–${total} of ${total} (100%)`],
      ['g', 'lines 1–20'],
    ];
    for (const [key, shows] of scrolling) {
      await session.press(key);
      await session.waitFor(shows);
    }

    await session.press('/');
    await session.waitFor('Find:');
    await session.type('restart');
    await session.waitFor('Find: restart');
    await session.press('enter');
    await session.waitFor(/match 1\/\d+/);
    const matches = Number(/match 1\/(\d+)/.exec(session.screen())?.[1]);
    expect(matches).toBeGreaterThanOrEqual(2);
    await session.press('n');
    await session.waitFor(`match 2/${matches}`);
    // The match is highlighted on screen.
    expect(session.highlightedText().some((run) => run.toLowerCase().includes('restart'))).toBe(true);
    await session.press('N');
    await session.waitFor(`match 1/${matches}`);
    await session.press('/');
    await session.type('zzqx');
    await session.press('enter');
    await session.waitFor('not found: zzqx');

    const related = builtArticle(ARTICLE.related[0] ?? '');
    await session.press('tab');
    await session.waitFor(`›1 ${related.id}`);
    await session.press('enter');
    await session.waitUntil((screen) => titleBarShows(screen, related.title), `the title bar to show "${related.title}"`);

    await session.press('esc');
    await session.waitUntil((screen) => titleBarShows(screen, ARTICLE.title), 'the first article again');
    await session.press('q');
    await session.waitFor('Search: missing cred');
    await session.press('esc');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('exits with 130 on Ctrl-C from an article and leaves the terminal as it found it', async () => {
    // A shell around the CLI records the terminal settings before and after it (raw mode off, echo back on).
    cli = spawnInPty('sh', ['-c', `stty -g; "${process.execPath}" "${BIN}" guide; echo "exit=$?"; stty -g`], { cols: 200 });
    const session = cli;
    await session.waitFor('Search:', 10_000);
    await session.type('appspec');
    await session.press('enter');
    await session.waitFor(/lines 1–\d+|all \d+ lines/);
    await session.press('ctrl-c');
    expect((await session.exited()).exitCode).toBe(0);
    const lines = session.screen().split('\n').filter((line) => line.trim() !== '');
    const exitLine = lines.findIndex((line) => line.startsWith('exit='));
    expect(lines[exitLine]).toBe('exit=130');
    expect(lines[exitLine + 1]).toBe(lines[exitLine - 1]);
    expect(lines[exitLine - 1]).toMatch(/^[0-9a-f:]+$/);
    expect(session.inAltScreen()).toBe(false);
  });

  it('quits on Ctrl-C from the search box', async () => {
    const session = await openGuide();
    await session.type('agent');
    await session.press('ctrl-c');
    expect((await session.exited()).exitCode).toBe(130);
    expectRestored(session);
  });

  it('re-lays out when the terminal is resized', async () => {
    const session = await openGuide();
    await session.waitFor('Esc quit');
    const visibleTitles = () => session.lines().filter((line) => /^(› | {2})\S/.test(line)).length;
    expect(visibleTitles()).toBe(9);

    session.resize(100, 30);
    await session.waitUntil(() => visibleTitles() === 12, '12 results at 100×30');
    expect(session.lines()[28]).toContain('Esc quit');
    expect(session.lines()[0]?.length).toBe(100);

    await session.type('missing cred');
    await session.waitFor(`› ${ARTICLE.title}`);
    await session.press('enter');
    await session.waitFor(/lines 1–26 of \d+/);
    const wide = position(session.screen()).total;

    session.resize(60, 20);
    await session.waitFor(/lines 1–16 of \d+/);
    const narrow = position(session.screen()).total;
    expect(narrow).toBeGreaterThan(wide);
    expect(session.lines()[18]).toMatch(/scroll/);
    expect(session.lines().every((line) => line.length <= 60)).toBe(true);
    await session.press('esc');
    await session.press('esc');
    expect((await session.exited()).exitCode).toBe(0);
  });
});

describe('a 65,535-character word', () => {
  // It used to crash the search ("Invalid typed array length") in `guide` and in `fix`'s guide suggestions.
  const word = 'x'.repeat(65_535);

  it('is searched for in the guide without a crash', () => {
    const run = runPlain(['guide', word]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No article matches');
    // Echoed shortened, never whole.
    expect(run.stdout).toContain(`"${'x'.repeat(120)}… (65535 characters)"`);
    expect(run.stdout.length).toBeLessThan(500);
  });

  it('is echoed with terminal control characters shown escaped', () => {
    const run = runPlain(['guide', 'xqzjvk\u001b[2J']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('No article matches "xqzjvk\\u001b[2J"');
  });

  it('is diagnosed by fix --message without a crash', () => {
    const run = runPlain(['fix', '--message', `Error: ${word}`]);
    expect(run.stderr).not.toContain('unexpected error');
    expect(run.status).toBe(0);
  });
});
