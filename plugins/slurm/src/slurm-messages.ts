/** What Slurm's tools say when they cannot work here; shared by the commands and the doctor (no imports: the doctor loads it). */
export const INSTALL_HINT = 'install the Slurm client tools (Debian: apt-get install slurm-client; on a cluster: module load slurm), or run on a login node';

/** What Slurm's tools print when the controller (or munge, which authenticates to it) is not there. */
const UNREACHABLE =
  /Unable to contact slurm controller|Connection refused|Socket timed out|Zero Bytes were transmitted|Communication connection failure|Munge encode failed|Unable to setup connection/i;
/** This host is no Slurm client: no slurm.conf, and no configless controller to ask. */
export const NOT_CONFIGURED = /Could not establish a configuration source|Unable to process configuration file|Could not open configuration file/i;

export const isUnreachable = (output: string) => UNREACHABLE.test(output);

/**
 * SLURM_CONF naming a file that is not there: Slurm's tools would retry for a minute before they
 * say so. The message to give at once instead, or undefined.
 */
export function missingSlurmConf(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string | undefined {
  const conf = env.SLURM_CONF;
  return conf && !exists(conf) ? `SLURM_CONF names ${conf}, which does not exist` : undefined;
}
