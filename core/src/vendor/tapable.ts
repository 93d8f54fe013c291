/** tapable's hook classes the core uses, bundled into one file by scripts/bundle.mjs (tapable is ~16 CommonJS files). */
import tapable from 'tapable';

export const { AsyncSeriesHook, AsyncSeriesBailHook } = tapable;
