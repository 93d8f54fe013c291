/**
 * Whether a run goes into dtach, and the dtach command: from PATH, else from the outside nixpkgs.
 * Asked by the full path only (the warm path replays the recorded command), so launch.ts, which
 * the warm path loads, stays free of which.js and nix.js.
 */
import { isatty } from '../lazy-builtins.js';
import { which } from '../which.js';

/** dtach is on by default, off inside tmux/screen and without a terminal (nothing to detach from). */
export function dtachWanted(configured: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  // isatty, not process.stdin.isTTY: that getter builds a stream for stdin, which the run hands to the container.
  return configured && !env.TMUX && !env.STY && isatty(0) && isatty(1);
}

/** dtach from PATH, else from the outside nixpkgs. */
export async function dtachCommand(outsideNixpkgs: string): Promise<string[]> {
  const local = await which('dtach');
  if (local) return [local];
  // Only the full path gets here: the warm path replays the recorded command without nix.js.
  const { NIX_FLAGS } = await import('../nix-cli/nix.js');
  return ['nix', ...NIX_FLAGS, 'shell', `${outsideNixpkgs}#dtach`, '-c', 'dtach'];
}
