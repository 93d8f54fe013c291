/** Names of the project's state directory, importable without loading the config machinery. */
export const FLAKE_DIR_NAME = '.anysnake2_flake';
