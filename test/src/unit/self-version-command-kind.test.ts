/**
 * Which invocations may start the anysnake2 a project pins (core/src/self-version/command-kind.ts):
 * a whitelist of commands that build or run; global options anywhere; help never switches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandKind } from '../../../core/dist/self-version/command-kind.js';

test('commands that build or run switch, wherever the global options stand', () => {
  for (const argv of [
    [],
    ['--'],
    ['--', 'echo', 'hi'],
    ['run'],
    ['run', '--', 'python', '--help'],
    ['-c', 'other.toml', 'run', 'echo'],
    ['run', '-c', 'other.toml'],
    ['--verbose', '--offline', 'build', 'rootfs'],
    ['build', 'flake', '--verbose'],
    ['develop'],
    ['attach'],
    ['tofu'],
    ['tofu', '--dry-run'],
    ['jupyter'],
    ['--config=x.toml', 'my-cmd', 'a', 'b'],
    // A [cmd.*] gets its words untouched: it runs. `-- --help` passes --help on; so does a later --help.
    ['my-cmd', '--', '--help'],
    ['my-cmd', 'a', '--help'],
    ['update'],
    ['update', 'nixpkgs', '--dry-run'],
    ['default'],
  ])
    assert.equal(commandKind(argv), 'switch', JSON.stringify(argv));
});

test('commands that read, explain or help never switch; completion is quiet', () => {
  for (const argv of [
    ['check'],
    ['-c', 'x.toml', 'check'],
    ['check', '-c', 'x.toml'],
    ['--help'],
    ['-h'],
    ['--verbose', '--help'],
    ['--version'],
    ['-V', 'run'],
    ['help'],
    ['help', 'run'],
    ['schema'],
    ['config', 'full'],
    ['version'],
    ['--no-version-switch', 'version'],
    ['doctor', '--json'],
    ['plugins'],
    ['run', '--help'],
    ['run', '-h', '--', 'x'],
    ['--offline', 'build', '--help'],
    ['build', 'rootfs', '-h'],
    ['tofu', '--help'],
    ['develop', '-h'],
    ['update', '-h'],
    // `anysnake2 <name> --help` right after the name explains [cmd.<name>]; nothing runs.
    ['my-cmd', '--help'],
    ['-v', '3', 'my-cmd', '-h'],
    // An unknown option where the command should be: oclif refuses it, nothing runs.
    ['--frobnicate', 'run'],
    ['-c'],
  ])
    assert.equal(commandKind(argv), 'read', JSON.stringify(argv));
  for (const argv of [
    ['completion', 'bash'],
    ['completion', '--complete', '--', 'ru'],
    ['-c', 'x.toml', 'completion', '--complete', '--'],
  ])
    assert.equal(commandKind(argv), 'quiet', JSON.stringify(argv));
});
