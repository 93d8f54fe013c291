/**
 * Everything a light command loads once its words are parsed: the command bodies (and through them
 * the pipeline) and the core's own plugin hook, which the light config calls from here rather than
 * by its path in package.json, so the core's code in a light command is one bundle (lib/light/,
 * scripts/bundle-runtime.mjs) with one instance of every class and registry.
 */
export { buildFlakeBody, checkBody, runBody } from './command-bodies.js';
export { default as corePluginHook } from '../core-plugin.js';
// What the version switch (in start.ts's bundle) imports lazily: in the light bundle its import()s
// require this module (scripts/bundle-runtime.mjs), so they are re-exported here.
export { parseTomlDocument } from '../config/toml-document.js';
export { fetchFromNpm, fetchWithNix } from '../self-version/fetch.js';
