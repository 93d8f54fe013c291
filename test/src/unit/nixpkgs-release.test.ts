/** Which nixpkgs release a url names, and whether uv2nix follows it (plugins/python/src/nixpkgs-release.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVcsUrl } from '../../../core/dist/vcs/url.js';
import { nixpkgsRelease, uv2nixFollowsNixpkgs } from '@anysnake2/plugin-python/dist/nixpkgs-release.js';

const release = (url: string) => nixpkgsRelease(parseVcsUrl(url));

test('the release in github branches and git refs', () => {
  assert.equal(release('github:NixOS/nixpkgs/master/24.05'), '24.05', 'a release tag as the rev (trust on first use pins it so)');
  assert.equal(release('github:NixOS/nixpkgs/master/' + 'c'.repeat(40)), undefined);
  assert.equal(release('github:NixOS/nixpkgs/22.05/' + 'a'.repeat(40)), '22.05');
  assert.equal(release('github:NixOS/nixpkgs/nixos-23.11'), '23.11');
  assert.equal(release('github:NixOS/nixpkgs/nixpkgs-24.05-darwin'), '24.05');
  assert.equal(release('git+https://github.com/NixOS/nixpkgs?ref=release-23.05&rev=' + 'b'.repeat(40)), '23.05');
  assert.equal(release('github:NixOS/nixpkgs/nixos-unstable'), undefined);
  assert.equal(release('/some/checkout'), undefined);
});

test('uv2nix follows from 24.05 on and when the release is unknown', () => {
  assert.equal(uv2nixFollowsNixpkgs('22.05'), false);
  assert.equal(uv2nixFollowsNixpkgs('23.11'), false);
  assert.equal(uv2nixFollowsNixpkgs('24.05'), true);
  assert.equal(uv2nixFollowsNixpkgs('25.11'), true);
  assert.equal(uv2nixFollowsNixpkgs(undefined), true);
});
