# The anysnake2 CLI as a flake, so a project can pin a git revision of this repository:
#   [anysnake2] url2 = "github:<owner>/<repo>/<branch>/<rev>"
# runs `nix build` on it and starts its bin/anysnake2 (docs/self-version.md).
# The npm dependencies come from package-lock.json through importNpmLock (one fixed-output fetch
# per package, hashed by the lock's integrity fields), so there is no npmDepsHash to maintain.
# Not built in this repository's offline CI (it needs nixpkgs and the npm registry); no flake.lock
# is committed yet: run `nix flake lock` online and commit it before pinning revisions.
{
  description = "anysnake2: reproducible environments from one anysnake2.toml (TypeScript CLI)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forEachSystem = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      version = (builtins.fromJSON (builtins.readFile ./core/package.json)).version;
      anysnake2 =
        pkgs:
        let
          # A maintained LTS line (README "Node.js lines"); Node 20 reached its end of life on 2026-04-30.
          nodejs = pkgs.nodejs_22;
        in
        pkgs.buildNpmPackage {
          pname = "anysnake2";
          inherit version;
          src = ./.;
          inherit nodejs;
          npmDeps = pkgs.importNpmLock { npmRoot = ./.; };
          npmConfigHook = pkgs.importNpmLock.npmConfigHook;
          nativeBuildInputs = [ pkgs.makeWrapper ];
          # `npm run build`: tsc -b, the vendored bundles (esbuild) and the oclif manifest (the default npmBuildScript).
          installPhase = ''
            runHook preInstall
            npm prune --omit=dev --no-save
            mkdir -p $out/lib/anysnake2 $out/bin
            # node_modules/@anysnake2/* are relative links to the workspaces, so they move along.
            cp -r package.json node_modules core plugins $out/lib/anysnake2/
            makeWrapper ${nodejs}/bin/node $out/bin/anysnake2 --add-flags $out/lib/anysnake2/core/bin/run.js
            runHook postInstall
          '';
          meta = {
            description = "Reproducible environments from one anysnake2.toml";
            license = pkgs.lib.licenses.mit;
            mainProgram = "anysnake2";
          };
        };
    in
    {
      packages = forEachSystem (pkgs: {
        default = anysnake2 pkgs;
      });
    };
}
