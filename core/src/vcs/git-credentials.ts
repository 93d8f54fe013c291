/**
 * Credentials written in a url (`https://user:token@host/repo`) must not reach any process's argv:
 * /proc/<pid>/cmdline is readable by every user of the machine, /proc/<pid>/environ only by the
 * owner. So git gets the url without them, and a credential helper, configured through
 * GIT_CONFIG_COUNT/KEY/VALUE in the environment, answers with them from the environment. The
 * helper's own text names only the variables. Nix fetches git+http(s) flakes with git, so the same
 * environment works for `nix build git+https://…` too.
 */
import { stripCredentials } from './url.js';

export const USERNAME_ENV = 'ANYSNAKE2_GIT_USERNAME';
export const PASSWORD_ENV = 'ANYSNAKE2_GIT_PASSWORD';

/** Speaks git's credential helper protocol: on `get`, print what the environment holds. */
const HELPER = `!f() { test "$1" = get || return 0; printf 'username=%s\\n' "$${USERNAME_ENV}"; if test -n "$${PASSWORD_ENV}"; then printf 'password=%s\\n' "$${PASSWORD_ENV}"; fi; }; f`;

/** Only these schemes take a password; an ssh user name (`ssh://git@host`) is no secret and must stay. */
const WITH_SECRETS = new Set(['http:', 'https:', 'ftp:', 'ftps:']);

/**
 * The url for argv and the environment that supplies its credentials to git (and to Nix's git).
 * A url without credentials comes back unchanged with `env` unchanged.
 */
export function credentialsOutOfArgv(url: string, env: NodeJS.ProcessEnv): { url: string; env: NodeJS.ProcessEnv } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, env };
  }
  if (!WITH_SECRETS.has(parsed.protocol) || (parsed.username === '' && parsed.password === '')) return { url, env };
  const count = Number(env['GIT_CONFIG_COUNT']) || 0;
  return {
    url: stripCredentials(url),
    env: {
      ...env,
      [USERNAME_ENV]: decodeURIComponent(parsed.username),
      [PASSWORD_ENV]: decodeURIComponent(parsed.password),
      // An empty value clears the helpers configured so far (a user's store/cache helper would
      // answer first, or keep the secret): the url's credentials win, as they do when written in it.
      [`GIT_CONFIG_KEY_${count}`]: 'credential.helper',
      [`GIT_CONFIG_VALUE_${count}`]: '',
      [`GIT_CONFIG_KEY_${count + 1}`]: 'credential.helper',
      [`GIT_CONFIG_VALUE_${count + 1}`]: HELPER,
      GIT_CONFIG_COUNT: String(count + 2),
    },
  };
}
