/** The running anysnake2: name and version from the core's package.json (what npm installed). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreRoot } from '../core-root.js';

export interface RunningPackage {
  readonly name: string;
  readonly version: string;
}

let cached: RunningPackage | undefined;

export function runningPackage(): RunningPackage {
  cached ??= JSON.parse(readFileSync(join(coreRoot(), 'package.json'), 'utf8')) as RunningPackage;
  return cached;
}
