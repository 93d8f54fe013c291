import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';

export default class Doctor extends AnysnakeCommand {
  static override summary = 'Check Nix, the container runtimes, host tools, proxies and the pinned sources, and say how to fix what is wrong';
  static override description = 'Exits 0 when nothing failed (warnings allowed), 1 otherwise.';
  static override flags = {
    json: Flags.boolean({ description: 'print the findings as JSON: [{ id, status: ok|warn|fail, summary, detail?, fix? }]' }),
    offline: Flags.boolean({ description: 'do not ask any remote whether the pinned sources are still reachable' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const { createDoctorContext } = await import('../doctor/context.js');
    const { runChecks } = await import('../doctor/run-checks.js');
    const ctx = createDoctorContext(this.config, { cwd: process.cwd(), configPath: flags.config, offline: flags.offline, env: process.env, verbose: flags.verbose });
    const { findings, elapsedMs } = await runChecks(ctx);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
      process.stderr.write(`doctor: ${findings.length} checks in ${(elapsedMs / 1000).toFixed(2)} s\n`);
    } else {
      const { renderFindings } = await import('../doctor/render.js');
      process.stdout.write(renderFindings(findings, elapsedMs, flags.verbose));
    }
    process.exitCode = findings.some((f) => f.status === 'fail') ? 1 : 0;
  }
}
