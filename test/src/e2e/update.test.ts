/**
 * `anysnake2 update [--dry-run] [--json] [TARGET…]` against the local git host: pins move forward
 * through the same engine as a first run (one atomic rewrite, nothing written on failure), only
 * under the targets named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitHost, runCli, tempProject } from '../support/cli.js';

const commits = (repo: string) =>
  execFileSync('git', ['--git-dir', join(gitHost(), repo), 'rev-list', '--reverse', 'HEAD'], { encoding: 'utf8' })
    .trim()
    .split('\n');
const read = (cwd: string) => readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');

/** A project pinned at the oldest commits and release of the fixture repositories. */
function oldProject(): { cwd: string; newest: Record<string, string>; oldest: Record<string, string> } {
  const repos = { utils: 'github/numtide/flake-utils.git', hello: 'github/TyberiusPrime/hello_flake.git', dppd: 'github/tyberiusprime/dppd.git' };
  const oldest = Object.fromEntries(Object.entries(repos).map(([k, r]) => [k, commits(r)[0]!]));
  const newest = Object.fromEntries(Object.entries(repos).map(([k, r]) => [k, commits(r).at(-1)!]));
  assert.ok(
    Object.keys(repos).every((k) => oldest[k] !== newest[k]),
    'each fixture repository has a newer commit',
  );
  const cwd = tempProject(
    [
      '# my comment stays',
      '[nixpkgs]',
      'url = "github:NixOS/nixpkgs/master/24.05"',
      'packages = ["hello"]',
      '[outside_nixpkgs]',
      'url = "github:NixOS/nixpkgs/master/24.05"',
      '[flake-util]',
      `url = "github:numtide/flake-utils/main/${oldest.utils}"`,
      '[flakes.hello]',
      `url = "github:TyberiusPrime/hello_flake/main/${oldest.hello}"`,
      '[clones.code]',
      `dppd = "git+https://github.com/tyberiusprime/dppd?ref=main&rev=${oldest.dppd}"`,
      '[python]',
      'version = "3.11"',
      'ecosystem_date = "2024-01-01"',
      '[python.packages]',
      '',
    ].join('\n'),
  );
  // Fill what a first run fills (the python tool pins, dev_shell), so update has only old pins to move.
  const first = runCli(['tofu'], { cwd });
  assert.equal(first.code, 0, first.stderr);
  return { cwd, newest, oldest };
}

test('update TARGET moves only that pin; --dry-run shows the diff (- before +) and the sources, writes nothing', () => {
  const { cwd, newest, oldest } = oldProject();
  const before = read(cwd);
  const dry = runCli(['update', '--dry-run', 'nixpkgs'], { cwd });
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(read(cwd), before);
  assert.match(dry.stderr, /nixpkgs\.url = "github:NixOS\/nixpkgs\/master\/24\.11" {2}← git ls-remote github:NixOS\/nixpkgs\/master \(newest tag/);
  const diff = dry.stderr.split('\n').filter((l) => /^[-+] /.test(l));
  assert.deepEqual(diff, ['- \turl = "github:NixOS/nixpkgs/master/24.05"', '+ \turl = "github:NixOS/nixpkgs/master/24.11"']);

  const r = runCli(['update', 'flakes.hello', 'clones.code'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const after = read(cwd);
  assert.match(after, new RegExp(`url = "github:TyberiusPrime/hello_flake/main/${newest.hello}"`));
  assert.match(after, new RegExp(`dppd = "git\\+https://github\\.com/tyberiusprime/dppd\\?ref=main&rev=${newest.dppd}"`));
  // Everything else as it was: nixpkgs, flake-util, the ecosystem date, the comment.
  assert.match(after, /^# my comment stays$/m);
  assert.match(after, /\[nixpkgs\]\n(?:.*\n)*?\turl = "github:NixOS\/nixpkgs\/master\/24\.05"/);
  assert.match(after, new RegExp(`flake-utils/main/${oldest.utils}`));
  assert.match(after, /ecosystem_date = "2024-01-01"/);
  assert.equal(after.replace(newest.hello!, oldest.hello!).replace(newest.dppd!, oldest.dppd!), before, 'nothing else changed');
});

test('update without targets moves every pin and the ecosystem date; --json lists them; a second update has nothing to do', () => {
  const { cwd, newest } = oldProject();
  const r = runCli(['update', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { written: boolean; pins: { path: string; value: string; source: string }[] };
  assert.equal(json.written, true);
  const paths = json.pins.map((p) => p.path).sort();
  for (const path of ['clones.code.dppd', 'flake-util.url', 'flakes.hello.url', 'nixpkgs.url', 'outside_nixpkgs.url', 'python.ecosystem_date'])
    assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(json.pins.find((p) => p.path === 'python.ecosystem_date')!.value, today);
  const text = read(cwd);
  assert.match(text, new RegExp(`flake-utils/main/${newest.utils}`));
  assert.match(text, new RegExp(`ecosystem_date = "${today}"`));
  // url2 (the anysnake2 version) moves only when named.
  assert.ok(!paths.includes('anysnake2.url2'));

  const again = runCli(['update', '--json'], { cwd });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as { pins: unknown[]; changed: boolean }).pins, []);
  assert.equal(read(cwd), text);
});

test('update: an unknown target is a usage error naming the targets; a failing lookup leaves the file untouched (75)', () => {
  const { cwd } = oldProject();
  const before = read(cwd);
  const unknown = runCli(['update', 'flakes.nope'], { cwd });
  assert.equal(unknown.code, 64, unknown.stderr);
  assert.match(unknown.stderr, /nothing to update in 'flakes\.nope'/);
  assert.match(unknown.stderr, /targets in this config: .*flakes\.hello/);

  const offline = tempProject('[flakes.gone]\nurl = "git+https://unreachable.invalid/x?ref=main&rev=0123456789012345678901234567890123456789"\n');
  const text = read(offline);
  const r = runCli(['update', 'flakes.gone'], { cwd: offline });
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /pinning failed, anysnake2\.toml is unchanged/);
  assert.equal(read(offline), text);
  assert.equal(read(cwd), before);
});

test('update R moves the nixR pin and its date to the newest nixR offers', () => {
  const [oldest, ...rest] = commits('github/TyberiusPrime/nixR.git');
  const newest = rest.at(-1)!;
  const cwd = tempProject(`[R]\nurl = "git+https://github.com/TyberiusPrime/nixR?ref=main&rev=${oldest}"\ndate = "2020-01-01"\npackages = []\n`);
  const newestDate = [
    ...execFileSync('git', ['--git-dir', join(gitHost(), 'github/TyberiusPrime/nixR.git'), 'show', `${newest}:generated/readme.md`], { encoding: 'utf8' }).matchAll(
      /\d{4}-\d\d-\d\d/g,
    ),
  ]
    .map((m) => m[0])
    .sort()
    .at(-1)!;
  const r = runCli(['update', 'R', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const pins = (JSON.parse(r.stdout) as { pins: { path: string; value: string }[] }).pins;
  assert.deepEqual(
    pins.filter((p) => p.path.startsWith('R.')).map((p) => [p.path, p.value]),
    [
      ['R.date', newestDate],
      ['R.url', `git+https://github.com/TyberiusPrime/nixR?ref=main&rev=${newest}`],
    ],
  );
  assert.match(read(cwd), new RegExp(`date = "${newestDate}"`));
});
