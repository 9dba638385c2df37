import { describe, expect, it } from 'vitest';
import { backgroundWithoutRedirect, foregroundServers, stopCommandsThatMayFail } from '../../../src/appspec/shell-checks.js';
import { applyRedirects, parseScript } from '../../../src/appspec/shell-parse.js';
import { tokenize } from '../../../src/appspec/shell-tokens.js';

const lines = (issues: Array<{ line: number }>) => issues.map((issue) => issue.line);

describe('shell tokens', () => {
  it('keeps quotes, substitutions and here-documents together, and skips comments', () => {
    const tokens = tokenize('echo "a & b" $(cat x | wc -l) \'c;d\' # not & this\ncat <<EOF > out\nbody & more\nEOF\nnext &\n');
    const words = tokens.filter((token) => token.kind === 'word').map((token) => token.text);
    expect(words).toEqual(['echo', 'a & b', '$(cat x | wc -l)', 'c;d', 'cat', 'next']);
    expect(tokens.filter((token) => token.kind === 'redirect').map((token) => (token.kind === 'redirect' ? `${token.fd}${token.op}${token.target}` : ''))).toEqual([
      '0<<EOF',
      '1>out',
    ]);
    expect(tokens.filter((token) => token.kind === 'op' && token.op === '&').map((token) => token.line)).toEqual([5]);
  });

  it('knows the line and column of every token, across quotes, continuations and here-documents', () => {
    const source = 'a "b\nc" d \\\n  e\ncat <<EOF\nx\nEOF\n  f & g\n';
    const at = tokenize(source).filter((token) => token.kind === 'word').map((token) => `${token.text}@${token.line}:${token.column}`);
    expect(at).toEqual(['a@1:1', 'b\nc@1:3', 'd@2:4', 'e@3:3', 'cat@4:1', 'f@7:3', 'g@7:7']);
  });

  it('reads fd redirections: 2>&1, &>, >&2 and numbered fds', () => {
    const redirects = tokenize('a > f 2>&1 &>g 1>&2 3<in').flatMap((token) => (token.kind === 'redirect' ? [`${token.fd}${token.op}${token.target}`] : []));
    expect(redirects).toEqual(['1>f', '2>&1', 'both>g', '1>&2', '3<in']);
  });
});

describe('redirections', () => {
  const streams = (source: string) => {
    const [command] = parseScript(source).commands;
    return applyRedirects({ stdout: 'hook', stderr: 'hook' }, command?.redirects ?? []);
  };
  it('applies them in order, the way the shell does', () => {
    expect(streams('x > log 2>&1')).toEqual({ stdout: 'file', stderr: 'file' });
    expect(streams('x 2>&1 > log')).toEqual({ stdout: 'file', stderr: 'hook' });
    expect(streams('x &> log')).toEqual({ stdout: 'file', stderr: 'file' });
    expect(streams('x >/dev/null')).toEqual({ stdout: 'file', stderr: 'hook' });
    expect(streams('x < /dev/null')).toEqual({ stdout: 'hook', stderr: 'hook' });
  });
});

describe('background processes that keep the hook open', () => {
  it('flags nohup … &, npm start & and java -jar … & without redirection', () => {
    const source = '#!/bin/bash\nnohup java -jar app.jar &\nnpm start &\njava -jar /opt/app.jar > app.log &\n./server 2>&1 > log &\n';
    expect(lines(backgroundWithoutRedirect(source))).toEqual([2, 3, 4, 5]);
  });

  it('accepts background processes with both streams redirected, in any of the usual spellings', () => {
    const source = [
      'nohup java -jar app.jar > /var/log/app.log 2>&1 < /dev/null &',
      'node server.js &> /dev/null &',
      '( cd /opt/app && ./run ) > run.log 2>&1 &',
      '{ ./a; ./b; } >/dev/null 2>/dev/null &',
      'echo "not & a background" > x',
      'a && b',
      'x >&- 2>&- &',
    ].join('\n');
    expect(backgroundWithoutRedirect(source)).toEqual([]);
  });

  it('honours an earlier exec redirection, and sees setsid -f as background', () => {
    expect(backgroundWithoutRedirect('exec > /var/log/deploy.log 2>&1\nnohup ./app &\n')).toEqual([]);
    expect(lines(backgroundWithoutRedirect('setsid -f ./app\n'))).toEqual([1]);
  });

  it('flags the tee of a backgrounded pipeline (its stdout is still the hook\'s)', () => {
    expect(backgroundWithoutRedirect('./app 2>&1 | tee -a app.log &\n')).toMatchObject([{ line: 1, column: 14, command: 'tee -a app.log' }]);
  });

  it('finds background commands inside if, while, case and functions', () => {
    const source = 'if true; then\n  ./a &\nfi\nwhile false; do ./b & done\ncase "$1" in\n  start) ./c & ;;\nesac\nrun() {\n  ./d &\n}\n';
    expect(lines(backgroundWithoutRedirect(source))).toEqual([2, 4, 6, 9]);
  });
});

describe('servers started in the foreground', () => {
  it('flags docker compose up without -d, java -jar, npm start, flask run and exec', () => {
    const source = 'docker compose up\ndocker-compose -f x.yml up --build\njava -jar app.jar\nnpm run start\nexec node server.js\nsudo -u app python3 app.py\nflask run\n';
    expect(lines(foregroundServers(source))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts detached, bounded or one-off commands', () => {
    const source = [
      'docker compose up -d',
      'docker compose up --wait',
      'docker compose -p app up -d --remove-orphans',
      'docker compose pull',
      'java -version',
      'npm ci',
      'npm run build',
      'timeout 60 npm start',
      'python3 manage.py migrate',
      'node scripts/migrate.js',
      'nohup java -jar app.jar > log 2>&1 &',
      'gunicorn -D app:app',
    ].join('\n');
    expect(foregroundServers(source)).toEqual([]);
  });
});

describe('stop commands that fail when nothing runs', () => {
  it('flags unguarded stop commands under set -e, and a stop command whose status ends the script', () => {
    expect(lines(stopCommandsThatMayFail('#!/bin/bash\nset -euo pipefail\ndocker stop web\ndocker rm -f web\necho ok\n'))).toEqual([3]);
    expect(lines(stopCommandsThatMayFail('#!/bin/bash\nsystemctl stop shop\n'))).toEqual([2]);
    expect(lines(stopCommandsThatMayFail('#!/bin/bash\nPID=$(cat /run/app.pid)\n[ -n "$PID" ] && kill "$PID"\n'))).toEqual([3]);
    expect(lines(stopCommandsThatMayFail('#!/bin/bash -e\npkill -f app.jar\necho stopped\n'))).toEqual([2]);
  });

  it('accepts guarded stop commands', () => {
    for (const source of [
      '#!/bin/bash\nset -e\nsystemctl stop shop || true\n',
      '#!/bin/bash\nset -e\nif systemctl is-active --quiet shop; then\n  systemctl stop shop\nfi\n',
      '#!/bin/bash\npkill -f app.jar\nexit 0\n',
      '#!/bin/bash\nset -e\nset +e\ndocker stop web\necho done\n',
      '#!/bin/bash\nkill -0 "$PID"\necho alive\n',
      '#!/bin/bash\nset -e\ndocker rm -f web\n',
    ]) {
      expect(stopCommandsThatMayFail(source), source).toEqual([]);
    }
  });
});

describe('the parser never throws', () => {
  it('on unbalanced or odd input', () => {
    for (const source of ['"unterminated', ')) ;; fi done', 'case x in', 'if then else', '$(', 'a |', '&& ||', 'function', 'f() {', '<<EOF', '\\']) {
      expect(() => parseScript(source), source).not.toThrow();
      expect(() => backgroundWithoutRedirect(source)).not.toThrow();
    }
  });
});
