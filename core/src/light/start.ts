/**
 * What bin/run.js imports after the warm path missed: the version switch, the argv normalizer, the
 * light dispatcher and the failure report, in one module. scripts/bundle-runtime.mjs bundles it
 * and full-path.ts apart from the rest of lib/ (into lib/light/), so a light command loads a few
 * files instead of ~50 small chunks; an error it throws is reported by this module's reportFailure,
 * which knows the classes of the same bundle.
 */
export { versionSwitch } from '../self-version/switch.js';
export { normalizeArgv } from '../argv.js';
export { lightCommand } from './light-dispatch.js';
export { reportFailure } from '../report-failure.js';
