/** Network failures as git, Mercurial, Nix and curl report them; shared by the core and (through `api.isNetworkFailure`) the plugins. */

const TRANSIENT = [
  /could(?: not|n't) resolve host/i,
  /unable to download/i,
  /connection (timed out|refused|reset)/i,
  /operation timed out/i,
  /early eof/i,
  /rpc failed/i,
  /returned error: 5\d\d/i,
  /temporary failure/i,
  /killed after \d+ ms timeout/,
  /failed to connect/i,
  /network is unreachable/i,
  /unexpected disconnect/i,
];

/** Whether a tool's output (git, hg, nix, curl) says the network failed: worth retrying, exit 75. */
export function isNetworkFailure(output: string): boolean {
  return TRANSIENT.some((re) => re.test(output));
}
