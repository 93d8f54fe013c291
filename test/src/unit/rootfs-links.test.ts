/** FlakeBuilder.linkIntoRootfs: what plugins add to the rootfs beyond bin, etc, lib and share (functions.nix `links`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlakeBuilder, FlakeBuilderError } from '../../../core/dist/nix/flake.js';

const withNixpkgs = () => {
  const flake = new FlakeBuilder();
  flake.addInput('nixpkgs', { url: 'github:NixOS/nixpkgs/0123456789012345678901234567890123456789' });
  flake.addInput('flake-utils', { url: 'github:numtide/flake-utils/0123456789012345678901234567890123456789' });
  return flake;
};

test('without links the rootfs call is as before; with them, each link once, in registration order', () => {
  assert.doesNotMatch(withNixpkgs().render(), /links/);
  const flake = withNixpkgs();
  flake.linkIntoRootfs({ from: 'lib/R/library', to: 'R_libs', always: true });
  flake.linkIntoRootfs({ from: 'pyvenv.cfg', to: 'pyvenv.cfg' });
  flake.linkIntoRootfs({ from: 'lib/R/library', to: 'R_libs', always: true });
  const text = flake.render();
  const links = [...text.matchAll(/from = "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, ['lib/R/library', 'pyvenv.cfg']);
  assert.match(text, /always = true;/);
  assert.match(text, /when = "pyvenv\.cfg";/);
});

test('a link path must be plain and relative: no .., no absolute path, no shell characters', () => {
  for (const path of ['../etc', '/etc', 'a/../b', 'a b', "x'y", '$(id)', '', 'a//b', '.']) {
    assert.throws(() => withNixpkgs().linkIntoRootfs({ from: path, to: 'x' }), FlakeBuilderError, JSON.stringify(path));
    assert.throws(() => withNixpkgs().linkIntoRootfs({ from: 'x', to: path }), FlakeBuilderError, JSON.stringify(path));
    assert.throws(() => withNixpkgs().linkIntoRootfs({ from: 'x', to: 'y', when: path }), FlakeBuilderError, JSON.stringify(path));
  }
});
