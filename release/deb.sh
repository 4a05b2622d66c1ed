#!/usr/bin/env bash
# Builds the Debian package from a built onboard (release/build.sh's, which needs no Swift on
# the target): the stripped binary, a man page per command, bash/zsh/fish completions, the
# gateway's systemd unit and a system user made on install. The debug information stays beside
# the package, filed by build id as Debian's dbgsym packages file it.
#
#   release/deb.sh .build/static/release/onboard          # .build/deb/onboard_VERSION_amd64.deb
#   release/deb.sh path/to/onboard path/to/output-directory
# Prints the package's path.
set -euo pipefail
binary="$(realpath "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${2:-$root/.build/deb}")"
cd "$root"
version="$("$binary" --version)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
package="$stage/onboard_${version}_amd64"
mkdir -p "$package/DEBIAN" "$out"

# The binary, stripped; its debug information kept under .build-id/ beside the package.
install -D -m 0755 "$binary" "$package/usr/bin/onboard"
build_id="$(readelf -n "$binary" | awk '/Build ID/ { print $3 }')"
if [ -n "$build_id" ]; then
    debug="$out/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
    mkdir -p "$(dirname "$debug")"
    objcopy --only-keep-debug "$binary" "$debug"
fi
strip --strip-all --remove-section=.comment --remove-section=.note "$package/usr/bin/onboard"
# No search path into a toolchain the target does not have (a debug build carries one).
if readelf -d "$package/usr/bin/onboard" | grep -q 'RUNPATH\|RPATH'; then
    if ! command -v patchelf >/dev/null; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends patchelf >&2
    fi
    patchelf --remove-rpath "$package/usr/bin/onboard"
fi

# A man page per command, from the commands' own help (swift-argument-parser's generator).
tool="$(find .build -path '*debug/generate-manual-tool' -type f | head -1)"
if [ -z "$tool" ]; then
    swift package plugin generate-manual --help >/dev/null 2>&1 || true
    tool="$(find .build -path '*debug/generate-manual-tool' -type f | head -1)"
fi
[ -n "$tool" ] || { echo "release/deb.sh: cannot build swift-argument-parser's generate-manual tool" >&2; exit 1; }
man="$package/usr/share/man/man1"
mkdir -p "$man"
"$tool" "$binary" --multi-page --date "$(date -u +%Y-%m-%d)" --authors "onboard maintainers" -o "$man" >&2
rm -f "$man"/onboard.help.1 "$man"/onboard.gateway.session.1
gzip -9n "$man"/*.1

# Completions.
install -d "$package/usr/share/bash-completion/completions" "$package/usr/share/zsh/vendor-completions" "$package/usr/share/fish/vendor_completions.d"
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$package/usr/share/bash-completion/completions/onboard"
"$binary" --generate-completion-script zsh > "$package/usr/share/zsh/vendor-completions/_onboard"
"$binary" --generate-completion-script fish > "$package/usr/share/fish/vendor_completions.d/onboard.fish"

# The gateway's unit; it is not enabled on install: it wants options of its own (a drop-in).
# Its limits file is a conffile: an operator's edits survive upgrades.
install -D -m 0644 release/systemd/onboard-gateway.service "$package/lib/systemd/system/onboard-gateway.service"
install -D -m 0644 release/gateway-limits.toml "$package/etc/onboard/gateway-limits.toml"

# Documentation: copyright, the changelog, the README.
docs="$package/usr/share/doc/onboard"
install -d "$docs"
cat > "$docs/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: onboard

Files: *
Copyright: 2026 onboard maintainers
License: Apache-2.0
 On Debian systems the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
COPYRIGHT
printf 'onboard (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- onboard maintainers <maintainers@onboard.invalid>  %s\n' \
    "$version" "$version" "$(date -u -R)" | gzip -9n > "$docs/changelog.gz"
gzip -9n < README.md > "$docs/README.md.gz"

# ncurses is linked in from its static archive on purpose (release/build.sh: as a shared library
# the loader looked up thousands of its symbols before the first frame); the terminfo database
# stays the system's.
install -d "$package/usr/share/lintian/overrides"
echo "onboard: embedded-library ncurses [usr/bin/onboard]" > "$package/usr/share/lintian/overrides/onboard"

size="$(du -sk --exclude=DEBIAN "$package" | cut -f1)"
cat > "$package/DEBIAN/control" <<CONTROL
Package: onboard
Version: $version
Architecture: amd64
Maintainer: onboard maintainers <maintainers@onboard.invalid>
Installed-Size: $size
Depends: libc6 (>= 2.34), libgcc-s1, zlib1g, adduser, procps
Section: admin
Priority: optional
Description: connect users' API keys to Composio auth configs from the terminal
 A terminal wizard that takes the credentials an auth config's scheme needs in
 masked fields and connects the account; commands for scripts and bulk imports;
 an embedded Composio-compatible sandbox; and an SSH gateway through which a
 customer holding a single-use invite connects their own key, confined, with a
 hash-chained audit trail.
CONTROL
echo /etc/onboard/gateway-limits.toml > "$package/DEBIAN/conffiles"
cat > "$package/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    if ! getent passwd onboard-gateway >/dev/null; then
        adduser --system --group --home /var/lib/onboard --no-create-home --quiet onboard-gateway
    fi
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
    fi
fi
POSTINST
cat > "$package/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
fi
POSTRM
chmod 0755 "$package/DEBIAN/postinst" "$package/DEBIAN/postrm"
deb="$out/onboard_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$package" "$deb" >&2
echo "$deb"
