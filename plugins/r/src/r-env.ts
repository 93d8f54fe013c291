/**
 * The R plugin's taps. resolve: pin `[R] url`, and fill a missing `[R] date` with the newest date
 * the nixR source offers. emitFlake (at Stage.foundation, so the Python and Jupyter plugins see
 * the environment): check the date against the same table, then describe R to the flake.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmitContext, PluginApi } from '@anysnake2/core/plugin-api';
import { emitRFlake, type RSection } from './flake-r.js';
import { describeDate, nearestDates, parseNixrReadme, type NixrDate } from './nixr-dates.js';
import { README, readNixrReadme } from './nixr-readme.js';

/** Offered dates of pinned remote nixR revisions, so later builds need no fetch (the name is git-ignored). */
const DATES_CACHE = '.nixR-dates.json';

export function registerREnvironment(api: PluginApi): void {
  api.hooks.resolve.tap('r', (ctx) => {
    const r = ctx.config.section<RSection>('R');
    if (!r) return;
    ctx.pinNewest(['R', 'url'], r.url, { checkExportSubst: true });
    if (r.date !== undefined) return;
    const shown = api.vcs.toTomlForm(api.vcs.parseVcsUrl(r.url));
    ctx.lookup(['R', 'date'], `${README} of ${shown} (newest date nixR offers)`, async () => {
      const newest = parseNixrReadme(await readNixrReadme(api, r.url))[0];
      if (!newest) throw new api.errors.UsageError(`${README} of ${shown} lists no dates`, { hint: 'set [R] date yourself' });
      return newest.date;
    });
  });

  api.hooks.emitFlake.tapPromise({ name: 'r', stage: api.Stage.foundation }, async (flake, ctx) => {
    const r = ctx.config.section<RSection>('R');
    if (!r) return;
    if (r.date === undefined)
      throw new api.errors.UsageError('[R] date is not set yet', { hint: 'run `anysnake2 tofu` (or any build/run command without --offline) to fill in the newest nixR date' });
    await checkDateOffered(api, ctx, r.url, r.date);
    emitRFlake(api, flake, { ...r, date: r.date });
  });
}

async function checkDateOffered(api: PluginApi, ctx: EmitContext, url: string, date: string): Promise<void> {
  const dates = await offeredDates(api, ctx, url);
  if (!dates || dates.some((d) => d.date === date)) return;
  throw new api.errors.ConfigError([
    {
      path: 'R.date',
      message: `nixR (${api.vcs.toTomlForm(api.vcs.parseVcsUrl(url))}) offers no R ecosystem for ${date}`,
      hint: `nearest dates it offers: ${nearestDates(dates, date).map(describeDate).join(', ')}`,
      location: ctx.config.locate(['R', 'date']),
    },
  ]);
}

/** The table of the configured nixR, or undefined when it cannot be read offline (Nix then has the last word). */
async function offeredDates(api: PluginApi, ctx: EmitContext, url: string): Promise<NixrDate[] | undefined> {
  const source = api.vcs.parseVcsUrl(url);
  // A local nixR is read in place (it may change); an unpinned one has no stable identity to cache.
  const cacheKey = source.kind !== 'path' && api.vcs.isPinned(source) ? api.vcs.toNixForm(source) : undefined;
  const cacheFile = join(ctx.project.flakeDir, DATES_CACHE);
  const cache = cacheKey ? await readCache(cacheFile) : {};
  if (cacheKey && cache[cacheKey]) return cache[cacheKey];
  if (ctx.offline && source.kind !== 'path') {
    ctx.log.debug(`--offline: [R] date not checked against ${README} of the nixR source`);
    return undefined;
  }
  let dates: NixrDate[];
  try {
    dates = parseNixrReadme(await readNixrReadme(api, url));
  } catch (error) {
    // Only a check: Nix fetches nixR itself when it builds and reports what is wrong with it then.
    if (!(error instanceof api.errors.TemporaryError)) throw error;
    ctx.log.info(`[R] date not checked: ${error.message}`);
    return undefined;
  }
  if (cacheKey && dates.length > 0) {
    await mkdir(ctx.project.flakeDir, { recursive: true });
    await api.writeFileAtomic(cacheFile, `${JSON.stringify({ ...cache, [cacheKey]: dates }, null, 1)}\n`);
  }
  return dates.length > 0 ? dates : undefined;
}

async function readCache(file: string): Promise<Record<string, NixrDate[]>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, NixrDate[]>;
  } catch {
    return {};
  }
}
