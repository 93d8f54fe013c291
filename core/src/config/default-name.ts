/** The config file anysnake2 reads unless `-c FILE` says otherwise (a module of its own: the start-up path imports it). */
export const DEFAULT_CONFIG_NAME = 'anysnake2.toml';
