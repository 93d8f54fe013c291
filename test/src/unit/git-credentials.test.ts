/** Credentials out of argv (core/src/vcs/git-credentials.ts): the url loses them, the environment carries them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { credentialsOutOfArgv, PASSWORD_ENV, USERNAME_ENV } from '../../../core/dist/vcs/git-credentials.js';

test('http(s) credentials move into the environment, percent-decoded; other urls stay as they are', () => {
  const moved = credentialsOutOfArgv('https://us%40er:p%3Ass@host.example/repo.git', { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'a.b', GIT_CONFIG_VALUE_0: 'c' });
  assert.equal(moved.url, 'https://host.example/repo.git');
  assert.equal(moved.env[USERNAME_ENV], 'us@er');
  assert.equal(moved.env[PASSWORD_ENV], 'p:ss');
  // Appended after the caller's own GIT_CONFIG_* entries, which stay.
  assert.equal(moved.env['GIT_CONFIG_COUNT'], '3');
  assert.equal(moved.env['GIT_CONFIG_KEY_0'], 'a.b');
  assert.deepEqual([moved.env['GIT_CONFIG_KEY_1'], moved.env['GIT_CONFIG_VALUE_1']], ['credential.helper', '']);
  assert.equal(moved.env['GIT_CONFIG_KEY_2'], 'credential.helper');
  assert.doesNotMatch(moved.env['GIT_CONFIG_VALUE_2']!, /p:ss|us@er/);
  for (const url of ['ssh://git@host.example/repo.git', 'https://host.example/repo.git', '/srv/repo', 'not a url']) {
    const env = { A: 'b' };
    assert.deepEqual(credentialsOutOfArgv(url, env), { url, env });
  }
});

test('git itself gets the credentials from the helper', () => {
  const { env } = credentialsOutOfArgv('https://alice:s3cret@host.example/repo.git', {
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  });
  const answer = execFileSync('git', ['credential', 'fill'], { env, input: 'protocol=https\nhost=host.example\npath=repo.git\n\n', encoding: 'utf8' });
  assert.match(answer, /^username=alice$/m);
  assert.match(answer, /^password=s3cret$/m);
});
