/**
 * toml-eslint-parser's parser, bundled into one file by scripts/bundle.mjs with its dependency
 * (eslint-visitor-keys): loaded from node_modules it is four modules and three package.json files
 * to resolve on every full-path start. Type-only imports keep naming 'toml-eslint-parser'.
 */
export { parseTOML } from 'toml-eslint-parser';
