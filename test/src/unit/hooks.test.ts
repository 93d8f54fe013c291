/** The four hooks: stage ordering, error attribution, bail semantics of run, frozen. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlugins } from '@anysnake2/core/plugin-host.js';
import { createLogger } from '@anysnake2/core/log.js';
import { PluginHookError } from '@anysnake2/core/errors.js';
import { FlakeBuilder } from '@anysnake2/core/nix/flake.js';
import type { AnysnakePlugin, EmitContext, RunContext, RunPlan } from '@anysnake2/core/plugin-api';

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
  assert.deepEqual(host.plugins.map((p) => p.name), ['alpha', 'beta', 'jupyter', 'zeta']);
});

test('a failing tap is attributed to its plugin and hook, sync, promise and callback alike', async () => {
  for (const style of ['tap', 'tapPromise', 'tapAsync'] as const) {
    const host = await applyPlugins(
      [
        plugin('rust', (api) => {
          const fail = new Error('no toolchain 1.99.0 in the pinned overlay');
          if (style === 'tap') api.hooks.emitFlake.tap('whatever-name', () => { throw fail; });
          if (style === 'tapPromise') api.hooks.emitFlake.tapPromise('x', async () => { throw fail; });
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

test('run bails at the first tap that returns an outcome: enrichers first, then the runtime', async () => {
  const seen: string[] = [];
  const host = await applyPlugins(
    [
      plugin('singularity', (api) =>
        api.hooks.run.tap({ name: 'singularity', stage: api.Stage.runtime }, (plan) => (seen.push(`run ${plan.env.EXTRA}`), { exitCode: 3 })),
      ),
      plugin('bwrap', (api) => api.hooks.run.tap({ name: 'bwrap', stage: api.Stage.runtime + 1 }, () => (seen.push('bwrap'), { exitCode: 0 }))),
      plugin('python', (api) => api.hooks.run.tap('python', (plan) => void ((plan.env.EXTRA = 'yes'), seen.push('enrich')))),
    ],
    { log, version: 'test' },
  );
  const plan: RunPlan = { rootfs: '/r', binds: [], env: {}, home: '/h', workdir: '/w', argv: ['true'] };
  const outcome = await host.hooks.run.promise(plan, {} as RunContext);
  assert.deepEqual(outcome, { exitCode: 3 });
  assert.deepEqual(seen, ['enrich', 'run yes']);
});

test('hooks are frozen; apply failures and duplicate names are attributed', async () => {
  const host = await applyPlugins([], { log, version: 'test' });
  assert.throws(() => ((host.hooks as { run: unknown }).run = null), TypeError);
  await assert.rejects(applyPlugins([plugin('r', () => { throw new Error('boom'); })], { log, version: 'test' }), /\[r\] apply: boom/);
  await assert.rejects(applyPlugins([plugin('a', () => {}), { ...plugin('a', () => {}), packageName: 'other' }], { log, version: 'test' }), /two plugins are both named 'a'/);
  await assert.rejects(
    applyPlugins(
      [plugin('a', (api) => api.sections.register({ name: 'x', schema: api.schema.Object({}), description: '' })), plugin('b', (api) => api.sections.register({ name: 'x', schema: api.schema.Object({}), description: '' }))],
      { log, version: 'test' },
    ),
    /\[x\] is registered by both 'a' and 'b'/,
  );
});
