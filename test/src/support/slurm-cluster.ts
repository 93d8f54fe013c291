/**
 * A real one-node Slurm cluster for the tests (Debian's slurm-wlm and munge): its own munged,
 * slurmctld and slurmd in the foreground, each in its own process group, with config, state,
 * spool and sockets in a temp dir and ports nobody uses; `stop()` ends all of them. Tools reach
 * it through SLURM_CONF. Needs root (slurmd starts jobs as their user) and the binaries.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'];

const onPath = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;

/** Why the cluster cannot start here, or undefined when it can. */
export function slurmSkipReason(): string | undefined {
  const missing = BINARIES.filter((b) => !onPath(b));
  if (missing.length) return `Slurm or munge is not installed (missing ${missing.join(', ')}): bash scripts/setup.sh installs slurm-wlm and munge`;
  if (process.getuid?.() !== 0) return 'a test cluster needs root (slurmd runs jobs as their user)';
  return undefined;
}

/** Two free TCP ports on loopback (asked of the kernel, then released). */
function freePorts(n: number): number[] {
  const script = `const net=require('net');const s=[];let k=0;for(let i=0;i<${n};i++){const v=net.createServer();v.listen(0,'127.0.0.1',()=>{s.push(v.address().port);if(++k===${n}){console.log(s.join(' '));process.exit(0)}})}`;
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  return out.split(' ').map(Number);
}

export interface Cluster {
  readonly dir: string;
  /** SLURM_CONF (and nothing else): what a CLI run needs to reach this cluster. */
  readonly env: Record<string, string>;
  stop(): void;
}

function waitFor(what: string, ok: () => boolean, timeoutMs: number, log: () => string): void {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`the test cluster did not come up: ${what}\n${log()}`);
    spawnSync('sleep', ['0.2']);
  }
}

export function startCluster(options: { cpus?: number } = {}): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'as2-slurm-'));
  chmodSync(dir, 0o711); // munged wants every directory above its socket searchable
  for (const sub of ['state', 'spool', 'log', 'sock']) mkdirSync(join(dir, sub), { mode: 0o755 });
  mkdirSync(join(dir, 'munge'), { mode: 0o700 });
  const key = join(dir, 'munge', 'munge.key');
  spawnSync('mungekey', ['-c', '-k', key], { timeout: 10_000 });
  const socket = join(dir, 'sock', 'munge.sock');
  const node = hostname().split('.')[0]!;
  const [ctldPort, slurmdPort] = freePorts(2);
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=anysnake2test',
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool/%n`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'SlurmdParameters=config_overrides',
      'MpiDefault=none',
      'KillWait=5',
      'MinJobAge=600',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${options.cpus ?? 4} State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES',
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const daemon = (name: string, command: string, args: string[]) => {
    const out = openSync(join(dir, 'log', `${name}.stdout`), 'a');
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    closeSync(out);
    child.unref();
    children.push(child);
  };
  const logs = () =>
    ['slurmctld.log', 'slurmd.log', 'munged.log', 'munged.stdout', 'slurmctld.stdout', 'slurmd.stdout']
      .map((f) => join(dir, 'log', f))
      .filter(existsSync)
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  const stop = () => {
    spawnSync('scontrol', ['shutdown'], { env: { ...process.env, ...env }, timeout: 10_000 });
    for (const child of children.reverse()) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {}
    }
    const end = Date.now() + 10_000;
    for (const child of children) {
      while (child.exitCode === null && child.signalCode === null && alive(child.pid!) && Date.now() < end) spawnSync('sleep', ['0.1']);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    daemon('munged', 'munged', [
      '-F',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--log-file=${dir}/log/munged.log`,
      `--pid-file=${dir}/munged.pid`,
      `--seed-file=${dir}/munge/seed`,
    ]);
    waitFor('munged', () => existsSync(socket), 15_000, logs);
    daemon('slurmctld', 'slurmctld', ['-D', '-i', '-f', conf]);
    daemon('slurmd', 'slurmd', ['-D', '-N', node, '-f', conf]);
    const sinfo = () => spawnSync('sinfo', ['-h', '-o', '%T'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 10_000 }).stdout.trim();
    waitFor('the node is idle', () => /^idle/.test(sinfo()), 60_000, logs);
  } catch (error) {
    stop();
    throw error;
  }
  return { dir, env, stop };
}

/** Dead, or a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
}
