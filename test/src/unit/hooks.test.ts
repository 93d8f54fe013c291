/** The hooks: stage ordering, error attribution, enrichers returning additions, runtime dispatch by the core, frozen. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlugins } from '../../../core/dist/plugin-host.js';
import { createLogger } from '../../../core/dist/log.js';
import { PluginHookError } from '../../../core/dist/errors.js';
import { FlakeBuilder } from '../../../core/dist/nix/flake.js';
import type { EnrichRunHookImpl } from '../../../core/dist/hooks.js';
import { selectRuntime } from '../../../core/dist/pipeline/runtime-select.js';
import { launchSpecProblem } from '../../../core/dist/pipeline/launch-spec.js';
import type { AnysnakePlugin, EmitContext, RunContext, RunPlan, RuntimeDefinition } from '@anysnake2/core/plugin-api';

const log = createLogger({ verbose: false, quiet: true });
const ctx = {} as EmitContext;

const plugin = (name: string, apply: AnysnakePlugin['apply']): { plugin: AnysnakePlugin; packageName: string } => ({
  plugin: { name, apply },
  packageName: `pkg-${name}`,
});

test('taps run by stage, then plugin name, whatever the registration order', async () => {
  const order: string[] = [];
  const host = await applyPlugins(
    [
      plugin('zeta', (api) => api.hooks.emitFlake.tap({ name: 'zeta', stage: api.Stage.foundation }, () => void order.push('zeta@foundation'))),
      plugin('jupyter', (api) => api.hooks.emitFlake.tap({ name: 'jupyter', stage: api.Stage.consumer }, () => void order.push('jupyter@consumer'))),
      plugin('alpha', (api) => api.hooks.emitFlake.tap('alpha', () => void order.push('alpha@default'))),
      plugin('beta', (api) => api.hooks.emitFlake.tapPromise('beta', async () => void order.push('beta@default'))),
    ],
    { log, version: 'test' },
  );
  await host.hooks.emitFlake.promise(new FlakeBuilder(), ctx);
  assert.deepEqual(order, ['zeta@foundation', 'alpha@default', 'beta@default', 'jupyter@consumer']);
  assert.deepEqual(
    host.plugins.map((p) => p.name),
    ['alpha', 'beta', 'jupyter', 'zeta'],
  );
});

test('a failing tap is attributed to its plugin and hook, sync, promise and callback alike', async () => {
  for (const style of ['tap', 'tapPromise', 'tapAsync'] as const) {
    const host = await applyPlugins(
      [
        plugin('rust', (api) => {
          const fail = new Error('no toolchain 1.99.0 in the pinned overlay');
          if (style === 'tap')
            api.hooks.emitFlake.tap('whatever-name', () => {
              throw fail;
            });
          if (style === 'tapPromise')
            api.hooks.emitFlake.tapPromise('x', async () => {
              throw fail;
            });
          if (style === 'tapAsync') api.hooks.emitFlake.tapAsync('x', (_f, _c, cb) => cb(fail));
        }),
      ],
      { log, version: 'test' },
    );
    await assert.rejects(host.hooks.emitFlake.promise(new FlakeBuilder(), ctx), (error: unknown) => {
      assert.ok(error instanceof PluginHookError, style);
      assert.equal(error.message, '[rust] emitFlake: no toolchain 1.99.0 in the pinned overlay');
      return true;
    });
  }
});

test('enrichRun: taps see a frozen plan, return additions, and later taps see earlier ones', async () => {
  const seen: string[] = [];
  const host = await applyPlugins(
    [
      plugin('jupyter', (api) =>
        api.hooks.enrichRun.tap({ name: 'jupyter', stage: api.Stage.consumer }, (plan) => {
          seen.push(`consumer sees ${plan.env.EXTRA} and ${plan.binds.length} binds`);
          return { env: { EXTRA: `${plan.env.EXTRA}:more` } };
        }),
      ),
      plugin('python', (api) =>
        api.hooks.enrichRun.tapPromise('python', async (plan) => {
          assert.throws(() => void ((plan.env as Record<string, string>).EXTRA = 'mutated'), TypeError);
          assert.throws(() => void (plan.binds as unknown[]).push({}), TypeError);
          return { env: { EXTRA: 'yes' }, binds: [{ source: '/src', target: '/t', mode: 'ro' }] };
        }),
      ),
      plugin('r', (api) => api.hooks.enrichRun.tap('r', () => undefined)),
    ],
    { log, version: 'test' },
  );
  const plan: RunPlan = { rootfs: '/r', binds: [], env: { PATH: '/bin' }, home: '/h', workdir: '/w', argv: ['true'] };
  const enriched = await (host.hooks.enrichRun as EnrichRunHookImpl).promise(plan, {} as RunContext);
  assert.deepEqual(seen, ['consumer sees yes and 1 binds']);
  assert.deepEqual(enriched.env, { PATH: '/bin', EXTRA: 'yes:more' });
  assert.deepEqual(enriched.binds, [{ source: '/src', target: '/t', mode: 'ro' }]);
  assert.deepEqual(plan.env, { PATH: '/bin' }, 'the input plan is not changed');
});

test('a failing enricher is attributed to its plugin', async () => {
  const host = await applyPlugins(
    [
      plugin('python', (api) =>
        api.hooks.enrichRun.tap('x', () => {
          throw new Error('no checkout');
        }),
      ),
    ],
    { log, version: 'test' },
  );
  const plan: RunPlan = { rootfs: '/r', binds: [], env: {}, home: '/h', workdir: '/w', argv: ['true'] };
  await assert.rejects((host.hooks.enrichRun as EnrichRunHookImpl).promise(plan, {} as RunContext), /\[python\] enrichRun: no checkout$/);
});

test('the core dispatches to the configured runtime only: one without any check of its own cannot take over a run', async () => {
  const planned: string[] = [];
  const runtime = (name: string, priority: number, available: boolean): RuntimeDefinition => ({
    name,
    priority,
    installHint: `install ${name}`,
    available: async () => available,
    // No `if (ctx.runtime !== name)` anywhere: the core decides.
    plan: (_plan, ctx) => (planned.push(`${name} for ${ctx.runtime}`), { argv: [name] }),
  });
  const host = await applyPlugins(
    [plugin('greedy', (api) => api.runtimes.register(runtime('greedy', 1000, true))), plugin('modest', (api) => api.runtimes.register(runtime('modest', 1, true)))],
    { log, version: 'test' },
  );
  const project = (wanted: string) => ({ host, config: { section: () => ({ runtime: wanted }) } }) as unknown as Parameters<typeof selectRuntime>[0];
  const chosen = await selectRuntime(project('modest'));
  await chosen.plan({ rootfs: '/r', binds: [], env: {}, home: '/h', workdir: '/w', argv: ['true'] }, { runtime: chosen.name } as RunContext);
  assert.deepEqual(planned, ['modest for modest']);
  assert.equal((await selectRuntime(project('auto'))).name, 'greedy', '"auto" takes the highest priority');
  await assert.rejects(
    applyPlugins([plugin('old', (api) => api.runtimes.register({ name: 'old', priority: 1, installHint: '', available: async () => true } as unknown as RuntimeDefinition))], {
      log,
      version: 'test',
    }),
    /\[old\] apply: runtime 'old' has no plan\(\)/,
  );
});

test('a LaunchSpec is checked before it is recorded and replayed', () => {
  const dir = '/p/.anysnake2_flake/run_scripts/run';
  assert.equal(launchSpecProblem({ argv: ['/bin/bwrap'], files: [{ path: `${dir}/env`, content: 'x', mode: 0o600 }], cleanup: [`${dir}/env`] }, dir), undefined);
  assert.match(launchSpecProblem({ argv: [] }, dir)!, /argv must be a non-empty list/);
  assert.match(launchSpecProblem({ argv: ['x'], files: [{ path: '/etc/passwd', content: '' }] }, dir)!, /not inside/);
  assert.match(launchSpecProblem({ argv: ['x'], files: [{ path: `${dir}/../../x`, content: '' }] }, dir)!, /not inside/);
  assert.match(launchSpecProblem({ argv: ['x'], cleanup: [dir] }, dir)!, /cleanup paths/);
  assert.match(launchSpecProblem({ argv: ['x'], env: { A: 1 } }, dir)!, /env must map/);
});

test('hooks are frozen; apply failures and duplicate names are attributed', async () => {
  const host = await applyPlugins([], { log, version: 'test' });
  assert.throws(() => ((host.hooks as { enrichRun: unknown }).enrichRun = null), TypeError);
  await assert.rejects(
    applyPlugins(
      [
        plugin('r', () => {
          throw new Error('boom');
        }),
      ],
      { log, version: 'test' },
    ),
    /\[r\] apply: boom/,
  );
  await assert.rejects(applyPlugins([plugin('a', () => {}), { ...plugin('a', () => {}), packageName: 'other' }], { log, version: 'test' }), /two plugins are both named 'a'/);
  await assert.rejects(
    applyPlugins(
      [
        plugin('a', (api) => api.sections.register({ name: 'x', schema: api.schema.Object({}), description: '' })),
        plugin('b', (api) => api.sections.register({ name: 'x', schema: api.schema.Object({}), description: '' })),
      ],
      { log, version: 'test' },
    ),
    /\[x\] is registered by both 'a' and 'b'/,
  );
});

test('each plugin gets its own state folder below the data dir, outside every project', async () => {
  const seen: Record<string, string> = {};
  await applyPlugins([plugin('a', (api) => void (seen.a = api.paths.stateDir)), plugin('b', (api) => void (seen.b = api.paths.stateDir))], {
    log,
    version: 'test',
    dataDir: '/data/anysnake2',
  });
  assert.deepEqual(seen, { a: '/data/anysnake2/plugin-state/a', b: '/data/anysnake2/plugin-state/b' });
});
