/** `$VAR` and `${VAR}` in container.home and container.env, from the host environment. `$$` is a `$`. */

export interface Expansion {
  value: string;
  /** Variables that were referenced but are not set (they expand to ""). */
  missing: string[];
}

export function expandEnv(text: string, env: NodeJS.ProcessEnv): Expansion {
  const missing: string[] = [];
  const value = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const found = env[name];
    if (found === undefined) missing.push(name);
    return found ?? '';
  });
  return { value, missing };
}
