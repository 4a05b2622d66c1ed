#!/usr/bin/env bash
# Builds the self-contained release binary: the Swift runtime, Foundation, libstdc++, SQLite and
# ncurses linked in (it needs only libc, libm, libgcc_s, zlib and a terminfo database on the
# target), the code the wizard runs laid out together, packed relocations and no exported
# symbols. Both keep the pages a run touches, and so its resident memory, small. Generic types
# are instantiated through metadata accessors rather than mangled names: a name makes the
# runtime look up the conformances its generic arguments need, and each lookup missing from its
# cache scans all ~12,000 conformance records of the binary. Prints the binary's path.
#
# The layout is made here, at every build, so it cannot go stale: link once with a map, run
# that binary through a connection under callgrind (release/hot_text.py; needs valgrind and
# tmux), and link again with the sections it ran placed first.
#
#   release/build.sh                  # .build/static/release/onboard
#   release/build.sh --deb            # and the Debian package (release/deb.sh): prints its path
#   release/build.sh -Xlinker -Map=/tmp/onboard.map   # extra flags go to swift build
set -euo pipefail
cd "$(dirname "$0")/.."
package=false
if [ "${1:-}" = "--deb" ]; then
    package=true
    shift
fi
scratch=.build/static
for tool in valgrind tmux strip; do
    command -v "$tool" >/dev/null || { echo "release/build.sh needs $tool to lay out the code: apt-get install valgrind tmux binutils" >&2; exit 1; }
done
# libstdc++, SQLite and ncurses linked in from their static archives: a directory holding only
# the archives comes first on the search path, so -lstdc++, -lsqlite3, -lncursesw and -ltinfo
# find them there. As shared libraries the dynamic loader looked up about 3,800 of their
# symbols at every start (whiptail's whole start needs about 360), a millisecond before the
# first frame. libc, libm, libgcc_s and zlib stay shared.
archives="$PWD/$scratch/static-archives"
mkdir -p "$archives"
for library in libstdc++ libsqlite3 libncursesw libtinfo; do
    found=$(cc -print-file-name="$library.a")
    [ -f "$found" ] || { echo "release/build.sh needs $library.a: apt-get install libsqlite3-dev libncurses-dev libstdc++-12-dev" >&2; exit 1; }
    ln -sf "$found" "$archives/$library.a"
done
flags=(-c release --product onboard --scratch-path "$scratch" --static-swift-stdlib
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
    -Xswiftc -L -Xswiftc "$archives"
    -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs
    -Xswiftc -no-toolchain-stdlib-rpath --disable-local-rpath)
binary="$scratch/release/onboard"
layout="$scratch/hot-text.ld"
map="$scratch/onboard.map"

echo "release: building, linked in the ordinary layout with a map" >&2
rm -f "$binary"
swift build "${flags[@]}" -Xlinker "-Map=$map" "$@" >&2
echo "release: running the wizard under callgrind to find the code it runs" >&2
python3 release/hot_text.py "$map" "$binary" "$layout"
echo "release: linking again with that code first" >&2
rm -f "$binary"
swift build "${flags[@]}" -Xlinker -T -Xlinker "$layout" "$@" >&2
# Stripped; the debug information kept beside it by build id (as Debian's dbgsym packages file
# it), so a crash report's addresses can still be read: gdb finds it with
# `set debug-file-directory .build/static/release/debug`.
build_id="$(readelf -n "$binary" | awk '/Build ID/ { print $3 }')"
if [ -n "$build_id" ]; then
    debug="$scratch/release/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
    mkdir -p "$(dirname "$debug")"
    objcopy --only-keep-debug "$binary" "$debug"
    objcopy --add-gnu-debuglink="$debug" --strip-debug --strip-unneeded "$binary" 2>/dev/null || strip --strip-debug --strip-unneeded "$binary"
fi
if $package; then
    release/deb.sh "$binary"
else
    echo "$binary"
fi
