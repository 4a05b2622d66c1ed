#!/usr/bin/env bash
# Builds the self-contained release binary: the Swift runtime and Foundation linked in (it needs
# only libc, libstdc++, ncurses, SQLite and zlib on the target), the code the wizard runs laid
# out together, packed relocations and no exported symbols. Both keep the pages a run touches,
# and so its resident memory, small. Prints the binary's path.
#
# The layout is made here, at every build, so it cannot go stale: link once with a map, run
# that binary through a connection under callgrind (release/hot_text.py; needs valgrind and
# tmux), and link again with the sections it ran placed first.
#
#   release/build.sh                  # .build/static/release/onboard
#   release/build.sh -Xlinker -Map=/tmp/onboard.map   # extra flags go to swift build
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build/static
for tool in valgrind tmux strip; do
    command -v "$tool" >/dev/null || { echo "release/build.sh needs $tool to lay out the code: apt-get install valgrind tmux binutils" >&2; exit 1; }
done
flags=(-c release --product onboard --scratch-path "$scratch" --static-swift-stdlib
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections
    -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs)
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
echo "$binary"
