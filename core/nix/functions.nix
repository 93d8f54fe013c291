# Static helpers imported by every generated .anysnake2_flake/flake.nix (copied next to it).
# The generated flake carries the data; the logic lives here, checked in and reviewed.
{ pkgs }:
let
  lib = pkgs.lib;
  lndir = pkgs.lndir or pkgs.xorg.lndir;
in
{
  # The container root: a symlink forest over all packages. Later entries of `packages` win
  # (we walk them in reverse and lndir never replaces an existing link).
  # `links` (FlakeBuilder.linkIntoRootfs): more paths of each package that plugins want in the
  # rootfs, each { from, to, when, always }.
  rootfs = { name, packages, links ? [ ] }:
    let
      # The paths are plain (FlakeBuilder.linkIntoRootfs checks: letters, digits, ._-/), so single quotes suffice.
      q = path: "'" + path + "'";
      each = f: builtins.concatStringsSep "" (map f links);
      linkAlways = each (l: if l.always then "mkdir -p $root/${q l.to}\n" else "");
      linkEach = each (l: ''
        if [ -e "$path"/${q l.when} ]; then
          if [ -d "$path"/${q l.from} ]; then
            mkdir -p $root/${q l.to}
            lndir -silent "$path"/${q l.from} $root/${q l.to} || true
          elif [ -e "$path"/${q l.from} ]; then
            mkdir -p "$(dirname $root/${q l.to})"
            ln -sfn "$path"/${q l.from} $root/${q l.to}
          fi
        fi
      '');
    in
    pkgs.runCommand name
      {
        nativeBuildInputs = [ lndir ];
        passAsFile = [ "packageList" ];
        packageList = lib.concatStringsSep "\n" (map toString packages) + "\n";
      }
      ''
        root=$out/rootfs
        mkdir -p $root/bin $root/etc $root/share $root/tmp $root/var/tmp \
          $root/usr/lib $root/usr/share
        ${linkAlways}
        : > $root/etc/passwd
        : > $root/etc/group
        cp "$packageListPath" $out/reqs.sh
        for path in $(tac "$packageListPath"); do
          [ -d "$path/bin" ] && lndir -silent -ignorelinks "$path/bin" $root/bin || true
          [ -d "$path/etc" ] && lndir -silent -ignorelinks "$path/etc" $root/etc || true
          [ -d "$path/lib" ] && lndir -silent -ignorelinks "$path/lib" $root/usr/lib || true
          [ -d "$path/share" ] && lndir -silent -ignorelinks "$path/share" $root/usr/share || true
          ${linkEach}
        done
        ln -s bin $root/usr/bin
        # etc/bashrc may be a link into a package; the SSL settings go into a file of our own
        if [ -L $root/etc/bashrc ]; then
          target="$(readlink -f $root/etc/bashrc)"
          rm $root/etc/bashrc
          cp "$target" $root/etc/bashrc
          chmod u+w $root/etc/bashrc
        fi
        echo "export SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt" >> $root/etc/bashrc
        echo "export SSL_CERT_DIR=/etc/ssl/certs" >> $root/etc/bashrc
      '';

  # One symlink per flake input, so a GC root on this output keeps every input's source alive.
  flakeInputsGcRoot = inputs:
    pkgs.runCommand "anysnake2-flake-inputs" { } (
      "mkdir -p $out\n"
      + lib.concatStrings (lib.mapAttrsToList
        (name: input: "ln -s ${lib.escapeShellArg "${input}"} $out/${lib.escapeShellArg name}\n")
        inputs)
    );

  # `anysnake2 develop`: the rootfs binaries on PATH plus the [dev_shell] inputs.
  # `env`: variables plugins export for develop (e.g. PYTHONPATH of editable checkouts on the host).
  devShell = { rootfs, inputs, env ? { } }:
    pkgs.mkShell {
      name = "anysnake2-devshell";
      nativeBuildInputs = inputs;
      shellHook = ''
        export PATH=${rootfs}/rootfs/bin:$PATH
      '' + pkgs.lib.concatStrings (pkgs.lib.mapAttrsToList (name: value: "export ${name}=${pkgs.lib.escapeShellArg value}\n") env);
    };
}
