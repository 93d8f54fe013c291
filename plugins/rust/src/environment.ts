/** The `rust` environment's facts, for readers of `flake.environmentsOf('rust')` (declaration merging). */
declare module '@anysnake2/core/plugin-api' {
  interface EnvironmentKinds {
    rust: {
      version: string;
      /** Whether the evcxr Jupyter kernel is wanted. */
      evcxr: boolean;
    };
  }
}
export {};
