/**
 * For the trace preloads (fs-trace.ts, module-trace.ts): the CLI may replace itself with the
 * runtime (execve through the core's native module, core/src/pipeline/exec-launch.ts), and then no
 * 'exit' event comes. Each hook runs just before that, with the program about to be started.
 */
const hooks: ((file: string) => void)[] = [];

type NativeExports = { exec?: (file: string, ...rest: unknown[]) => number };

export function beforeExec(hook: (file: string) => void): void {
  if (hooks.push(hook) > 1) return;
  const dlopen = process.dlopen;
  process.dlopen = function (this: NodeJS.Process, module: { exports: NativeExports }, ...rest: unknown[]) {
    const result = (dlopen as (...args: unknown[]) => unknown).call(this, module, ...rest);
    const exec = module.exports?.exec;
    if (typeof exec === 'function')
      module.exports.exec = (file: string, ...args: unknown[]) => {
        for (const run of hooks) run(file);
        return exec(file, ...args);
      };
    return result;
  } as typeof process.dlopen;
}
