/**
 * For the trace preload (fs-trace.ts): programs the core starts through its native module
 * (core/native/process.c `foreground`, used instead of node:child_process when it is built) are
 * reported to the hook with the file name, as child_process calls are.
 */
const hooks: ((file: string) => void)[] = [];

type NativeExports = { foreground?: (file: string, ...rest: unknown[]) => number };

export function onNativeSpawn(hook: (file: string) => void): void {
  if (hooks.push(hook) > 1) return;
  const dlopen = process.dlopen;
  process.dlopen = function (this: NodeJS.Process, module: { exports: NativeExports }, ...rest: unknown[]) {
    const result = (dlopen as (...args: unknown[]) => unknown).call(this, module, ...rest);
    const foreground = module.exports?.foreground;
    if (typeof foreground === 'function')
      module.exports.foreground = (file: string, ...args: unknown[]) => {
        for (const run of hooks) run(file);
        return foreground(file, ...args);
      };
    return result;
  } as typeof process.dlopen;
}
