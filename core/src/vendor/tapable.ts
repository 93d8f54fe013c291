/**
 * tapable's hook class the core uses, bundled into one file by scripts/bundle.mjs (tapable is ~16
 * CommonJS files). Only AsyncSeriesHook's own module (with Hook and HookCodeFactory): the index
 * would bring every other hook class along, ~25 kB more to compile on every full-path start.
 */
// @ts-expect-error tapable's typings describe only the package's index
import AsyncSeriesHookClass from 'tapable/lib/AsyncSeriesHook.js';
import type { AsyncSeriesHook as AsyncSeriesHookType } from 'tapable';

export const AsyncSeriesHook = AsyncSeriesHookClass as typeof AsyncSeriesHookType;
