/** What `ps` would show: the command lines of this host's processes. */
import { readdirSync, readFileSync } from 'node:fs';

/** `pid: command line` (NULs as spaces) of every process whose command line contains `marker`. */
export function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * Kill the processes of `processesWith` lines. One that is already gone is fine: killing the first
 * of a container's processes often ends the others before their turn (ESRCH is not a failure).
 */
export function killProcesses(lines: readonly string[], signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const line of lines) {
    try {
      process.kill(Number(line.split(':')[0]), signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
