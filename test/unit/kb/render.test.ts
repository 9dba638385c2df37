import { describe, expect, it } from 'vitest';
import { CODE_CONTINUATION, renderMarkdown } from '../../../src/kb/render.js';
import { stripAnsi } from '../../../src/ui/ansi.js';
import { sourceKb } from '../../helpers/kb.js';

const plain = (markdown: string, width: number) => stripAnsi(renderMarkdown(markdown, { width, color: true })).split('\n');
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');

describe('renderMarkdown at a given width', () => {
  it('fits every line of every article at 40 and 79 columns', () => {
    for (const article of sourceKb().articles) {
      for (const width of [40, 79]) {
        const wide = plain(article.body, width).filter((line) => [...line].length > width);
        expect(wide, `${article.id} at ${width} columns`).toEqual([]);
      }
    }
  });

  it('wraps a long list item with a hanging indent and keeps every word', () => {
    const item = 'Call it **`appspec.yml`** and put it at the **root of the bundle**, not in a subfolder. Current agents also accept `appspec.yaml`.';
    const lines = plain(`- ${item}\n- second`, 40);
    expect(lines[0]?.startsWith('• Call it appspec.yml and put it')).toBe(true);
    expect(lines.slice(1, -1).every((line) => line.startsWith('  '))).toBe(true);
    expect(words(lines.join(' ').replace(/•/g, ''))).toEqual(words(`${item.replace(/\*\*|`/g, '')} second`));
  });

  it('renders inline markdown inside list items, tables, quotes and headings', () => {
    const markdown = ['# The **title**', '', '- a **bold** and `code` item with a [link](https://example.com/x)', '', '| a | b |', '|---|---|', '| **x** | `y` |', '', '> *quoted* `text`'].join('\n');
    const rendered = renderMarkdown(markdown, { width: 80, color: true });
    const text = stripAnsi(rendered);
    expect(text).not.toMatch(/\*|`/);
    expect(text).toContain('link (https://example.com/x)');
    expect(rendered).toContain('\u001b[1mbold\u001b[22m');
    expect(rendered).toContain('\u001b[33mcode\u001b[39m');
    expect(text).toContain('│ quoted text');
  });

  it('reflows a table to the width, wrapping cells instead of cutting them', () => {
    const table = ['| Key | Notes |', '|---|---|', '| os | linux or windows (the operating system of the instances that the group deploys to) |', '| hooks | scripts per lifecycle event |'].join('\n');
    const lines = plain(table, 40);
    expect(lines.every((line) => [...line].length <= 40)).toBe(true);
    expect(lines[0]?.startsWith('┌')).toBe(true);
    const cells = lines.map((line) => line.split('│')[2]?.trim() ?? '').join(' ');
    expect(words(cells)).toEqual(expect.arrayContaining(words('linux or windows (the operating system of the instances that the group deploys to)')));
  });

  it('turns a table too wide for its columns into one block per row', () => {
    const header = Array.from({ length: 8 }, (_, i) => `column${i}`);
    const table = [`| ${header.join(' | ')} |`, `|${'---|'.repeat(8)}`, `| ${header.map((_, i) => `value-number-${i}`).join(' | ')} |`].join('\n');
    const lines = plain(table, 40);
    expect(lines).toContain('column0: value-number-0');
    expect(lines).toContain('column7: value-number-7');
  });

  it('continues a long code line on marked rows instead of cutting it', () => {
    const command = 'aws deploy create-deployment --application-name shop --deployment-group-name prod --s3-location bucket=b,key=k,bundleType=zip';
    const lines = plain(`\`\`\`bash\n${command}\n\`\`\``, 50);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.startsWith(CODE_CONTINUATION))).toBe(true);
    expect(lines.map((line, index) => line.slice(index === 0 ? 2 : CODE_CONTINUATION.length)).join('')).toBe(command);
  });

  it('joins soft line breaks and keeps hard ones; decodes entities', () => {
    expect(plain('one\ntwo  \nthree &lt;b&gt; &amp; c', 80)).toEqual(['one two', 'three <b> & c']);
  });

  it('prints no escape codes when colour is off', () => {
    const rendered = renderMarkdown('# T\n\n- **b** `c`\n\n| a |\n|---|\n| b |', { width: 60, color: false });
    expect(rendered).not.toContain('\u001b');
  });
});
