/** The options every anysnake2 command takes, before or after the command word (argv.ts moves them). */
import { Flags } from '@oclif/core';

export const GLOBAL_FLAGS = {
  config: Flags.string({ char: 'c', description: 'config file [default: anysnake2.toml]', helpGroup: 'GLOBAL' }),
  verbose: Flags.boolean({ description: 'show debug output and error causes (2.x: -v 3)', helpGroup: 'GLOBAL' }),
  quiet: Flags.boolean({ description: 'only errors and warnings (2.x: -v 0 or -v 1)', helpGroup: 'GLOBAL' }),
  'no-version-switch': Flags.boolean({ description: 'do not switch to the anysnake2 version the project pins', helpGroup: 'GLOBAL' }),
  offline: Flags.boolean({ description: 'never touch the network: unpinned values are an error, Nix runs with --offline', helpGroup: 'GLOBAL' }),
};
