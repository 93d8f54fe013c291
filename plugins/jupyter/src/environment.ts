/**
 * The `jupyter-kernel` environment kind this plugin defines: any plugin may register one, with a
 * kernelspec inside its binding's derivation. Declared by declaration merging; kernels.ts still
 * checks the facts, since they come from other packages.
 */
declare module '@anysnake2/core/plugin-api' {
  interface EnvironmentKinds {
    'jupyter-kernel': {
      /** Lowercase kernel name, e.g. `mykernel`. */
      name: string;
      /** Path of the kernelspec folder inside the binding's derivation. */
      directory: string;
    };
  }
}
export {};
