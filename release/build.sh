#!/usr/bin/env bash
# Builds the self-contained release binary: the Swift runtime and Foundation linked in (it needs
# only libc, libstdc++, ncurses, SQLite and zlib on the target), code the wizard runs laid out
# together (release/hot-text.ld), packed relocations and no exported symbols. Both keep the pages
# a run touches, and so its resident memory, small. Prints the binary's path.
#
#   release/build.sh                  # .build/static/release/onboard
#   release/build.sh -Xlinker -Map=/tmp/onboard.map   # extra flags go to swift build
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build/static
swift build -c release --product onboard --scratch-path "$scratch" --static-swift-stdlib \
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections \
    -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs \
    -Xlinker -T -Xlinker release/hot-text.ld "$@" >&2
echo "$scratch/release/onboard"
