import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtArticle, requireBuild } from './built.js';
import { expectRestored } from './restored.js';
import { spawnCli, type CliSession } from './pty.js';

// Reading articles at 80×24: nothing cut, inline markdown rendered, tables and long code lines laid out to fit.
beforeAll(requireBuild);

let cli: CliSession | undefined;
afterEach(() => {
  cli?.dispose();
  cli = undefined;
});

const REFERENCE = builtArticle('appspec-reference');

async function find(session: CliSession, text: string): Promise<void> {
  await session.press('/');
  await session.waitFor('Find:');
  await session.type(text);
  await session.press('enter');
  await session.waitFor(/match 1\/\d+/);
}

/** The pager's rows (between the title bar and the related bar). */
const pagerRows = (session: CliSession) => session.lines().slice(1, 21);

describe('reading an article at 80×24', () => {
  it('renders bold and code inside list items and wraps them instead of cutting them', async () => {
    const session = (cli = spawnCli(['guide']));
    await session.waitFor('Search:', 10_000);
    await session.type('appspec file reference');
    await session.waitFor(`› ${REFERENCE.title}`);
    await session.press('enter');
    await session.waitFor(/lines 1–20 of \d+/);
    const screen = session.screen();
    expect(screen).toContain('• Call it appspec.yml and put it at the root of the bundle, not in a subfolder.');
    expect(screen).toContain('  Current agents also accept appspec.yaml.');
    const rows = pagerRows(session);
    expect(rows.join('\n')).not.toMatch(/\*\*|`|…/);
    expect(rows.every((row) => row.length <= 80)).toBe(true);
    await session.press('esc', 'esc');
    expect((await session.exited()).exitCode).toBe(0);
  });

  it('guide --show opens the same pager on a terminal: tables fit, long code lines continue on a marked row', async () => {
    const session = (cli = spawnCli(['guide', '--show', 'appspec-reference']));
    await session.waitFor(/lines 1–20 of \d+/, 10_000);
    expect(session.lines()[0]?.startsWith(` ${REFERENCE.title}`)).toBe(true);
    expect(session.screen()).toContain('Related (Tab, Enter)');

    await find(session, 'the operating system of');
    const table = pagerRows(session).filter((row) => row.startsWith('│'));
    expect(table.some((row) => /^│ os +│ yes +│ linux or windows \(the operating system of +│$/.test(row))).toBe(true);
    expect(table.some((row) => /^│ +│ +│ the instances\) +│$/.test(row))).toBe(true);
    expect(table.join('\n')).not.toContain('…');

    await find(session, 'healthcheck.sh');
    const rows = pagerRows(session);
    const cut = rows.findIndex((row) => row.includes('scripts/healthcheck.sh'));
    expect(rows[cut + 1]).toMatch(/^↪ \S/);
    expect(`${rows[cut]}${rows[cut + 1]?.slice(2)}`).toContain('exit non-zero if it never does');

    // Leaving the article leaves the guide, as a pager does.
    await session.press('q');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });
});
