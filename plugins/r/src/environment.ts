/** The `R` environment's facts, for readers of `flake.environmentsOf('R')` (declaration merging). */
declare module '@anysnake2/core/plugin-api' {
  interface EnvironmentKinds {
    R: {
      /** The nixR date. */
      date: string;
      /** The R packages in the environment. */
      packages: readonly string[];
    };
  }
}
export {};
