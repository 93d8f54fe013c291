/**
 * The host programs anysnake2 runs besides Nix: dtach (containers that survive a dropped SSH
 * connection), git (pinning, clones, the flake dir), hg (only for hg+ urls). dtach and git fall
 * back to `nix shell <outside_nixpkgs>#…`, which works but is slow and needs the outside nixpkgs.
 */
import { which } from '../which.js';
import type { DoctorContext, Finding } from './finding.js';

export async function checkHostTools(ctx: DoctorContext): Promise<Finding[]> {
  const state = await ctx.project();
  const config = state.kind === 'open' ? state.project.config : undefined;
  const [dtach, git, hg] = await Promise.all(['dtach', 'git', 'hg'].map((t) => which(t, ctx.env.PATH)));
  const findings: Finding[] = [];

  const dtachOn = config?.section<{ dtach?: boolean }>('anysnake2')?.dtach ?? true;
  if (dtach) findings.push({ id: 'tools.dtach', status: 'ok', summary: `dtach: ${dtach}` });
  else if (!dtachOn) findings.push({ id: 'tools.dtach', status: 'ok', summary: 'dtach is not installed, and this project does not use it ([anysnake2] dtach = false)' });
  else
    findings.push({
      id: 'tools.dtach',
      status: 'warn',
      summary: 'dtach is not on PATH: every run fetches it with nix shell <outside_nixpkgs>#dtach',
      fix: "apt-get install dtach (or your system's package), or set [anysnake2] dtach = false",
    });

  findings.push(
    git
      ? { id: 'tools.git', status: 'ok', summary: `git: ${git}` }
      : {
          id: 'tools.git',
          status: 'warn',
          summary: 'git is not on PATH: pinning and clones run git through nix shell <outside_nixpkgs>#git',
          fix: "apt-get install git (or your system's package)",
        },
  );

  const usesHg = state.kind === 'open' && /(^|["'\s=])hg\+https:/m.test(state.project.doc.text);
  if (hg) findings.push({ id: 'tools.hg', status: 'ok', summary: `hg: ${hg}` });
  else if (usesHg)
    findings.push({
      id: 'tools.hg',
      status: 'warn',
      summary: 'the config has hg+https: urls, but hg is not on PATH: they are queried through nix shell <outside_nixpkgs>#mercurial',
      fix: "apt-get install mercurial (or your system's package)",
    });
  else findings.push({ id: 'tools.hg', status: 'ok', summary: 'hg is not installed (only needed for hg+https: urls)' });
  return findings;
}
