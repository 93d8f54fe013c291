/** `anysnake2 doctor` against the real tools of this machine, the fixture universe and the local git host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { containerProject, gitHost, runCli, tempProject } from '../support/cli.js';
import { NIX_OFFLINE_CONFIG } from '../support/nix.js';

interface Finding {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  summary: string;
  detail?: string;
  fix?: string;
}

function doctorJson(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { code: number; findings: Finding[]; stderr: string } {
  const r = runCli(['doctor', '--json', ...args], { cwd, env });
  let findings: Finding[];
  try {
    findings = JSON.parse(r.stdout) as Finding[];
  } catch {
    assert.fail(`doctor --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  for (const f of findings) {
    assert.ok(['ok', 'warn', 'fail'].includes(f.status), JSON.stringify(f));
    assert.equal(typeof f.id, 'string');
    assert.equal(typeof f.summary, 'string');
  }
  return { code: r.code, findings, stderr: r.stderr };
}

const byId = (findings: Finding[], id: string) => findings.find((f) => f.id === id);

test('a healthy project: exit 0, every pinned source reachable, --json parses', () => {
  gitHost();
  const cwd = containerProject();
  const { code, findings, stderr } = doctorJson(cwd);
  const failed = findings.filter((f) => f.status === 'fail');
  assert.deepEqual(failed, [], stderr);
  assert.equal(code, 0);
  for (const id of ['config', 'nix.version', 'nix.flakes', 'nix.store', 'nix.build-users', 'runtime.available', 'runtime.userns', 'runtime.bwrap-probe', 'tools.git', 'proxy'])
    assert.ok(byId(findings, id), `no finding ${id} in ${findings.map((f) => f.id).join(', ')}`);
  // The core's pins (local fixture paths here); a project without [python] names no Python tool
  // source, so an unreachable uv2nix or ancient_poetry host cannot fail its doctor.
  for (const id of ['source.nixpkgs.url', 'source.flake-util.url', 'source.outside_nixpkgs.url']) assert.equal(byId(findings, id)?.status, 'ok', id);
  const python = findings.filter((f) => /^source\.(uv2nix|pyproject_build_systems|ancient_poetry)/.test(f.id));
  assert.deepEqual(python, [], 'a project without [python] checked Python tool sources');
  assert.match(stderr, /doctor: \d+ checks in \d+\.\d\d s/);

  // --offline asks no remote and says so.
  const offline = doctorJson(cwd, ['--offline']);
  assert.equal(offline.code, 0);
  assert.equal(offline.findings.filter((f) => f.id.startsWith('source.')).length, 0);
  assert.match(byId(offline.findings, 'sources')?.summary ?? '', /not checked \(--offline\)/);

  // The human report ends with the counts and the time taken.
  const human = runCli(['doctor'], { cwd });
  assert.equal(human.code, 0, human.stdout + human.stderr);
  assert.match(human.stdout, /\d+ checks: \d+ ok, \d+ warnings?, 0 failed \(\d+\.\d\d s\)\n$/);
});

test('an unreachable pin fails with its TOML path, line and a fix', () => {
  gitHost();
  const rev = '0123456789abcdef0123456789abcdef01234567';
  const cwd = containerProject(['[flakes.gone]', `url = "github:nobody/gone/${rev}"`, '[clones.code]', `down = "git+https://127.0.0.1:1/down?ref=main&rev=${rev}"`].join('\n'));
  const { code, findings } = doctorJson(cwd);
  assert.equal(code, 1);
  const gone = byId(findings, 'source.flakes.gone.url');
  assert.equal(gone?.status, 'fail', JSON.stringify(findings, null, 2));
  assert.match(gone!.summary, /flakes\.gone\.url: github:nobody\/gone\/\/0123456789abcdef0123456789abcdef01234567 is unreachable/);
  // containerProject writes 9 lines before the extra TOML: the url is on line 11.
  assert.match(gone!.detail ?? '', /anysnake2\.toml:11:\d+/);
  assert.match(gone!.fix ?? '', /point flakes\.gone\.url \(at anysnake2\.toml:11:\d+\) to a copy that exists/);
  // A host that refuses the connection is network trouble, with the network's fix.
  const refused = byId(findings, 'source.clones.code.down');
  assert.equal(refused?.status, 'fail');
  assert.match(refused!.detail ?? '', /anysnake2\.toml:13:\d+\n.*could not query https:\/\/127\.0\.0\.1:1\/down/);
  assert.match(refused!.fix ?? '', /check the network and the proxy settings/);
  // Only these: the other sources are still fine.
  assert.deepEqual(
    findings
      .filter((f) => f.status === 'fail')
      .map((f) => f.id)
      .sort(),
    ['source.clones.code.down', 'source.flakes.gone.url'],
  );

  const human = runCli(['doctor'], { cwd });
  assert.equal(human.code, 1);
  assert.match(human.stdout, /FAIL {2}flakes\.gone\.url: .* is unreachable\n {8}anysnake2\.toml:11:\d+\n[\s\S]*fix: /);
});

test('without bwrap and dtach on PATH: the runtime and dtach findings say what to install', () => {
  // A PATH of symlinks to the tools kept: Nix and git, not bubblewrap or dtach.
  const bin = mkdtempSync(join(tmpdir(), 'as2-doctor-path-'));
  for (const tool of ['nix', 'git', 'getent']) symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), join(bin, tool));
  const { code, findings } = doctorJson(tempProject(), [], { PATH: bin });
  assert.equal(code, 1);
  const runtime = byId(findings, 'runtime.available');
  assert.equal(runtime?.status, 'fail');
  assert.match(runtime!.summary, /no container runtime is installed/);
  assert.match(runtime!.fix ?? '', /bwrap: apt-get install bubblewrap/);
  assert.equal(byId(findings, 'runtime.bwrap-probe'), undefined, 'no probe without bwrap');
  const dtach = byId(findings, 'tools.dtach');
  assert.equal(dtach?.status, 'warn');
  assert.match(dtach!.fix ?? '', /apt-get install dtach.*dtach = false/);
  assert.equal(byId(findings, 'nix.version')?.status, 'ok');
  assert.equal(byId(findings, 'tools.git')?.status, 'ok');
});

test('malformed proxy settings are named with a fix', () => {
  const { code, findings } = doctorJson(tempProject(), [], {
    https_proxy: 'ftp://proxy.example.com:21',
    HTTPS_PROXY: 'http://proxy.example.com:3128',
    no_proxy: 'localhost,*.example.com',
  });
  assert.equal(code, 1);
  const bad = byId(findings, 'proxy.https_proxy');
  assert.equal(bad?.status, 'fail');
  assert.match(bad!.summary, /scheme ftp/);
  assert.match(bad!.fix ?? '', /export https_proxy=http:\/\/<host>:<port>/);
  assert.equal(byId(findings, 'proxy.HTTPS_PROXY'), undefined, 'a well-formed value is no finding');
  assert.equal(byId(findings, 'proxy.https_proxy-case')?.status, 'warn');
  assert.match(byId(findings, 'proxy.no_proxy')?.detail ?? '', /'\*\.example\.com' uses a wildcard/);
});

test('apptainer on PATH: its mount directories under LOCALSTATEDIR are checked', () => {
  // A stand-in apptainer answering `buildcfg` as the real one does (KEY=value lines); nothing else is called.
  const bin = mkdtempSync(join(tmpdir(), 'as2-doctor-apptainer-'));
  const state = mkdtempSync(join(tmpdir(), 'as2-doctor-var-'));
  writeFileSync(
    join(bin, 'apptainer'),
    `#!/bin/sh\n[ "$1" = buildcfg ] || exit 9\necho PACKAGE_NAME=apptainer\necho LOCALSTATEDIR=${state}\necho SESSIONDIR=${state}/apptainer/mnt/session\n`,
  );
  chmodSync(join(bin, 'apptainer'), 0o755);
  const env = { PATH: `${bin}:${process.env.PATH}` };
  const missing = doctorJson(tempProject(), ['--offline'], env);
  assert.equal(missing.code, 1);
  const dirs = byId(missing.findings, 'runtime.apptainer-dirs');
  assert.equal(dirs?.status, 'fail');
  assert.match(dirs!.summary, new RegExp(`missing: ${state}/apptainer/mnt/container, .*/session`));
  assert.equal(dirs!.fix, `sudo mkdir -p ${state}/apptainer/mnt/{container,final,overlay,session}`);
  assert.match(byId(missing.findings, 'runtime.available')!.summary, /runtime = "auto" uses apptainer/);

  execFileSync('bash', ['-c', dirs!.fix!.replace(/^sudo /, '')]);
  const fixed = doctorJson(tempProject(), ['--offline'], env);
  assert.equal(byId(fixed.findings, 'runtime.apptainer-dirs')?.status, 'ok');
  assert.equal(fixed.code, 0, JSON.stringify(fixed.findings.filter((f) => f.status === 'fail')));
});

test('a [container] runtime no plugin provides is named with its line and the choices', () => {
  const { code, findings } = doctorJson(tempProject('[container]\nruntime = "lxc"\n'), ['--offline']);
  assert.equal(code, 1);
  const configured = byId(findings, 'runtime.configured');
  assert.equal(configured?.status, 'fail');
  assert.equal(configured!.detail, 'anysnake2.toml:2:1');
  assert.match(configured!.fix ?? '', /use "auto" or one of: .*bwrap/);
});

// The failure of Debian's nix-bin as root before its build users exist; only where that is the situation.
const rootWithoutNixbld = process.getuid?.() === 0 && spawnSync('getent', ['group', 'nixbld']).status !== 0;
test('root with the default build-users-group and no nixbld group: the build-users finding fails with both fixes', {
  skip: !rootWithoutNixbld && 'needs root without a nixbld group',
}, () => {
  const nixConfig = NIX_OFFLINE_CONFIG.split('\n')
    .filter((line) => !line.startsWith('build-users-group'))
    .join('\n');
  const { code, findings } = doctorJson(tempProject(), ['--offline'], { NIX_CONFIG: nixConfig });
  assert.equal(code, 1);
  const users = byId(findings, 'nix.build-users');
  assert.equal(users?.status, 'fail');
  assert.match(users!.summary, /build-users-group is 'nixbld', but that group does not exist/);
  assert.match(users!.fix ?? '', /groupadd -r nixbld .* 'build-users-group =' into \/etc\/nix\/nix\.conf/);
});
