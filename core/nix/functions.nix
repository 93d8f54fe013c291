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
  rootfs = { name, packages }:
    pkgs.runCommand name
      {
        nativeBuildInputs = [ lndir ];
        passAsFile = [ "packageList" ];
        packageList = lib.concatStringsSep "\n" (map toString packages) + "\n";
      }
      ''
        root=$out/rootfs
        mkdir -p $root/bin $root/etc $root/share $root/tmp $root/var/tmp \
          $root/usr/lib $root/usr/share $root/R_libs
        : > $root/etc/passwd
        : > $root/etc/group
        cp "$packageListPath" $out/reqs.sh
        for path in $(tac "$packageListPath"); do
          [ -d "$path/bin" ] && lndir -silent -ignorelinks "$path/bin" $root/bin || true
          [ -d "$path/etc" ] && lndir -silent -ignorelinks "$path/etc" $root/etc || true
          [ -d "$path/lib" ] && lndir -silent -ignorelinks "$path/lib" $root/usr/lib || true
          [ -d "$path/share" ] && lndir -silent -ignorelinks "$path/share" $root/usr/share || true
          if [ -d "$path/lib/R/library" ]; then
            lndir -silent "$path/lib/R/library" $root/R_libs || true
          fi
          if [ -e "$path/lib/R/lib/libR.so" ]; then
            mkdir -p $root/lib64
            lndir -silent "$path/lib/R/lib" $root/lib64 || true
          fi
          if [ -e "$path/pyvenv.cfg" ]; then
            # a uv2nix virtualenv: python finds /pyvenv.cfg and /lib/pythonX.Y/site-packages
            ln -sfn "$path/pyvenv.cfg" $root/pyvenv.cfg
            mkdir -p $root/lib
            lndir -silent "$path/lib" $root/lib || true
          fi
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
