/**
 * The scripts a command runs inside the container, written to
 * `.anysnake2_flake/run_scripts/<cmd>/` and bound at /anysnake2:
 * outer_run.sh runs run.sh with the command's extra words as "$@", then post_run.sh whatever
 * happened (with $ANYSNAKE_RUN_STATUS), and exits with run.sh's status.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { writeIfChanged } from '../fs-atomic.js';
import { SCRIPTS_MOUNT } from './run-plan.js';

export interface ContainerScripts {
  /** [cmd.X].run, or undefined for an ad-hoc `run -- words` (which runs the words themselves). */
  run?: string;
  postRunInside?: string;
}

const OUTER = `#!/bin/bash
# Written by anysnake2: run.sh, then post_run.sh whatever happened; the exit status is run.sh's.
bash ${SCRIPTS_MOUNT}/run.sh "$@"
ANYSNAKE_RUN_STATUS=$?
export ANYSNAKE_RUN_STATUS
bash ${SCRIPTS_MOUNT}/post_run.sh
exit $ANYSNAKE_RUN_STATUS
`;

/** One word runs as a shell line (`run -- 'a && b'`); several words run as they are. */
const AD_HOC = `#!/bin/bash
if [ $# -eq 1 ]; then bash -c "$1"; else "$@"; fi
`;

const script = (body: string) => `#!/bin/bash\nset -euo pipefail\n${body.endsWith('\n') ? body : `${body}\n`}`;

export async function writeRunScripts(scriptsDir: string, scripts: ContainerScripts): Promise<void> {
  await mkdir(scriptsDir, { recursive: true });
  await writeIfChanged(join(scriptsDir, 'run.sh'), scripts.run === undefined ? AD_HOC : script(scripts.run));
  await writeIfChanged(join(scriptsDir, 'post_run.sh'), script(scripts.postRunInside ?? ''));
  await writeIfChanged(join(scriptsDir, 'outer_run.sh'), OUTER);
  // Runtimes that do not map the host user themselves show it by binding these.
  const me = userInfo();
  await writeIfChanged(join(scriptsDir, 'passwd'), `${me.username}:x:${me.uid}:${me.gid}:${me.username}:${me.homedir}:/bin/bash\n`);
  await writeIfChanged(join(scriptsDir, 'group'), `${me.username}:x:${me.gid}:\n`);
}

/** The command line inside the container. */
export function containerArgv(extraWords: readonly string[]): string[] {
  return ['/bin/bash', `${SCRIPTS_MOUNT}/outer_run.sh`, ...extraWords];
}
