/** The running anysnake2: name and version from the core's package.json (what npm installed). */
import { readFileSync } from 'node:fs';

export interface RunningPackage {
  readonly name: string;
  readonly version: string;
}

let cached: RunningPackage | undefined;

export function runningPackage(): RunningPackage {
  cached ??= JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as RunningPackage;
  return cached;
}
