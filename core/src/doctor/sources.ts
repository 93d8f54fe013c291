/**
 * Every source the config pins (or will pin) is still there: the plugins name them through the
 * `resolve` hook (the same taps tofu uses), and the doctor asks each remote once, all at the same
 * time, through the RemoteClient. Nothing is written.
 */
import { stat } from 'node:fs/promises';
import type { ResolveContext } from '../plugin-api.js';
import { formatLocation, TemporaryError } from '../errors.js';
import type { Project } from '../pipeline/project.js';
import { RemoteClient } from '../vcs/git-remote.js';
import { httpsUrl, isPinned, parseVcsUrl, toNixForm, toTomlForm, VcsUrlError, type VcsSource } from '../vcs/url.js';
import type { DoctorContext, Finding } from './finding.js';

interface Source {
  path: readonly string[];
  url: string;
}

/** The urls the plugins' resolve taps hand to pinNewest/pinNewestTag, pinned or not. */
async function collectSources(project: Project): Promise<Source[]> {
  const sources = new Map<string, Source>();
  const record = (path: readonly string[], url: string) => void sources.set(path.join('\0'), { path, url });
  const context: ResolveContext = {
    config: project.config,
    project: project.paths,
    log: project.log,
    offline: true,
    pin: () => {},
    lookup: () => {},
    pinNewest: record,
    pinNewestTag: record,
  };
  await project.host.hooks.resolve.promise(context);
  return [...sources.values()];
}

export async function checkSources(ctx: DoctorContext): Promise<Finding[]> {
  const state = await ctx.project();
  if (state.kind !== 'open') return [];
  if (ctx.offline) return [{ id: 'sources', status: 'ok', summary: 'pinned sources not checked (--offline)' }];
  const { project } = state;
  const outside = project.config.section<{ url: string }>('outside_nixpkgs')?.url;
  let outsideNix = 'github:NixOS/nixpkgs/24.05';
  try {
    const parsed = outside ? parseVcsUrl(outside) : undefined;
    if (parsed && isPinned(parsed)) outsideNix = toNixForm(parsed);
  } catch {
    // validation reported it; the fixed nixpkgs serves git then
  }
  // One attempt: the doctor reports a flaky remote instead of hiding it behind retries.
  const remote = new RemoteClient({ outsideNixpkgs: outsideNix, attempts: 1 });
  const sources = await collectSources(project);
  if (sources.length === 0) return [{ id: 'sources', status: 'ok', summary: 'the config names no sources' }];
  return Promise.all(sources.map((source) => checkSource(project, remote, source)));
}

async function checkSource(project: Project, remote: RemoteClient, { path, url }: Source): Promise<Finding> {
  const key = path.join('.');
  const id = `source.${key}`;
  const location = project.config.locate(path);
  const where = location ? formatLocation(location).replace(/: $/, '') : `${key} is not in ${project.paths.configFile} (the default; tofu writes it on the next build)`;
  let source: VcsSource;
  try {
    source = parseVcsUrl(url);
  } catch (error) {
    const message = error instanceof VcsUrlError ? error.message : String(error);
    return { id, status: 'fail', summary: `${key}: ${message}`, detail: where, fix: error instanceof VcsUrlError ? error.hint : undefined };
  }
  const shown = toTomlForm(source);
  try {
    switch (source.kind) {
      case 'path': {
        const info = await stat(source.path).catch(() => undefined);
        if (!info?.isDirectory())
          return { id, status: 'fail', summary: `${key}: the local path ${source.path} does not exist`, detail: where, fix: `restore ${source.path} or change ${key} at ${where}` };
        return { id, status: 'ok', summary: `${key}: ${shown} (local)` };
      }
      case 'hg':
        await remote.hgTip(source.url);
        return { id, status: 'ok', summary: `${key}: ${shown} reachable` };
      case 'github':
      case 'git': {
        const refs = await remote.refs(httpsUrl(source));
        const branch = source.kind === 'github' ? source.branch : source.ref;
        // A pin keeps working without its branch, but tofu and updates follow the branch.
        if (branch && source.rev && !refs.some((r) => r.name === `refs/heads/${branch}` || r.name === `refs/tags/${branch}`))
          return {
            id,
            status: 'warn',
            summary: `${key}: ${shown} is reachable, but has no branch or tag '${branch}' any more`,
            detail: where,
            fix: `name an existing branch in ${key} (at ${where})`,
          };
        return { id, status: 'ok', summary: `${key}: ${shown} reachable` };
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      id,
      status: 'fail',
      summary: `${key}: ${shown} is unreachable`,
      detail: `${where}\n${message}`,
      fix:
        error instanceof TemporaryError
          ? 'check the network and the proxy settings (https_proxy, no_proxy), then run anysnake2 doctor again'
          : `if the repository moved or was deleted, point ${key} (at ${where}) to a copy that exists`,
    };
  }
}
