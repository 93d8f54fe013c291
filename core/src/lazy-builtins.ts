/**
 * Node built-ins that take milliseconds to load, loaded on first use: node:crypto (~8 ms),
 * node:child_process (~4 ms) and node:tty (~3 ms with node:net). An import statement loads a
 * built-in on every start whether or not the code runs (`check` hashes, spawns and asks about the
 * terminal nothing), and an ES-module import also reads every export, loading crypto's webcrypto.
 * process.getBuiltinModule (Node >= 20.16) loads synchronously, once; later calls are a lookup.
 */
export const crypto = () => process.getBuiltinModule('node:crypto');
export const childProcess = () => process.getBuiltinModule('node:child_process');
export const isatty = (fd: number): boolean => process.getBuiltinModule('node:tty').isatty(fd);
