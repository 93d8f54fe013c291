/** The runtime against a stand-in for anysnake2's `api`: what it registers and the LaunchSpec it plans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PluginApi, RunContext, RunPlan, RuntimeDefinition } from '@anysnake2/core/plugin-api';
import plugin, { RUNTIME, TOOL, launchSpec } from '../src/plugin.js';

function registered(onPath: string | undefined): RuntimeDefinition {
  const runtimes: RuntimeDefinition[] = [];
  const api = {
    runtimes: { register: (r: RuntimeDefinition) => runtimes.push(r) },
    which: async (name: string) => (name === TOOL ? onPath : undefined),
    errors: { ToolMissingError: Error },
  };
  plugin.apply(api as unknown as PluginApi);
  assert.equal(runtimes.length, 1);
  return runtimes[0]!;
}

const plan: RunPlan = {
  rootfs: '/nix/store/abc-rootfs',
  binds: [
    { source: '/nix/store', target: '/nix/store', mode: 'ro' },
    { source: '/home/me/.scripts', target: '/anysnake2', mode: 'ro' },
  ],
  env: { PATH: '/bin', TOKEN: 'secret' },
  passEnv: { TERM: 'xterm', PATH: 'host-path' },
  home: '/home/me/project/home',
  workdir: '/home/me/project',
  argv: ['/anysnake2/outer_run.sh'],
};
const ctx = { scriptsDir: '/home/me/.scripts' } as RunContext;

test('registers the runtime; available only when its tool is on PATH', async () => {
  const runtime = registered(undefined);
  assert.equal(runtime.name, RUNTIME);
  assert.equal(await runtime.available(), false);
  assert.equal(await registered(`/usr/bin/${TOOL}`).available(), true);
});

test('plan: home first, then the binds in order; the command and workdir; env in an owner-only file', async () => {
  const spec = await registered(`/usr/bin/${TOOL}`).plan(plan, ctx);
  assert.equal(spec.argv[0], `/usr/bin/${TOOL}`);
  assert.deepEqual(spec.argv.slice(-2), ['--', '/anysnake2/outer_run.sh']);
  const binds = spec.argv.join(' ');
  assert.ok(binds.indexOf('/home/me/project/home') < binds.indexOf('/nix/store /nix/store'));
  assert.ok(binds.indexOf('/nix/store /nix/store') < binds.indexOf('/home/me/.scripts /anysnake2'));
  assert.ok(!spec.argv.some((word) => word.includes('secret')), 'no environment value on the command line');
  const file = spec.files![0]!;
  assert.ok(file.path.startsWith(`${ctx.scriptsDir}/`));
  assert.equal(file.mode, 0o600);
  assert.deepEqual(spec.cleanup, [file.path]);
  assert.deepEqual(JSON.parse(file.content), { TERM: 'xterm', PATH: '/bin', TOKEN: 'secret', HOME: plan.home }, 'plan.env wins over passEnv');
});

test('plan is the same for the same plan (the warm path replays it)', () => {
  assert.deepEqual(launchSpec(plan, ctx, '/usr/bin/x'), launchSpec(plan, ctx, '/usr/bin/x'));
});

test('doctor names what to install when the tool is missing', async () => {
  const findings = await registered(undefined).doctor!({ env: {}, offline: true, runtime: RUNTIME, config: undefined });
  assert.equal(findings[0]!.status, 'fail');
  assert.match(findings[0]!.fix ?? '', new RegExp(TOOL));
});
