/**
 * Running a command on a pseudo-terminal of its own, as a user's shell would: python3's pty.spawn
 * relays stdin to the terminal and everything the terminal shows to stdout until the last writer
 * closes it, then exits with the command's status (128+N when a signal ended it). util-linux 2.38's
 * `script` can drop what the command wrote just before it exited, which made assertions on a
 * program's last line flaky under load.
 */
const RELAY = ['import os, pty, sys', 'status = pty.spawn(sys.argv[1:])', 'sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))'].join('\n');

/** The command line that runs `argv` on its own terminal. */
export function onTerminal(argv: readonly string[]): { command: string; args: string[] } {
  return { command: 'python3', args: ['-c', RELAY, ...argv] };
}
