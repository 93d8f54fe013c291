/** The `python` environment's facts, for readers of `flake.environmentsOf('python')` (declaration merging). */
declare module '@anysnake2/core/plugin-api' {
  interface EnvironmentKinds {
    python: {
      /** e.g. `3.12`. */
      version: string;
      /** Let-binding of the interpreter. */
      interpreter: string;
      /** The [python.packages] keys, normalised, sorted. */
      requested: readonly string[];
      /** Everything uv locked, sorted. */
      packages: readonly string[];
    };
  }
}
export {};
