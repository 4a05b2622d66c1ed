#!/usr/bin/env bash
# Builds each fuzz target with libFuzzer and AddressSanitizer (swiftc -sanitize=fuzzer) and runs
# it for SECONDS each (default 30), starting from the seeds in fuzz/corpus/<target>/.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# A crash leaves its input in .build/fuzz/crash-*; turn it into a regression test, fix, rerun.
set -euo pipefail
seconds=${1:-30}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build/fuzz"
mkdir -p "$out"
# One package name, as SwiftPM gives, so the targets see the modules' `package` declarations.
flags=(-swift-version 6 -parse-as-library -package-name onboard -sanitize=fuzzer,address -g -O)

# The gold linker warns about every sanitizer symbol it keeps local; only real errors are shown.
swiftc() { command swiftc "$@" 2> >(grep -v "ld.gold: warning: Cannot export local symbol" >&2); }

build_module() { # name, sources...
    local name=$1
    shift
    swiftc "${flags[@]}" -I "$out" -emit-module -emit-module-path "$out/$name.swiftmodule" -module-name "$name" \
        -emit-library -static -o "$out/lib$name.a" "$@"
}

echo "building the modules under test" >&2
build_module OnboardCore "$root"/Sources/OnboardCore/*.swift
# The bundled themes are not needed to parse themes; an empty stand-in keeps the module whole.
cat > "$out/PackageResources.swift" <<'SWIFT'
enum PackageResources {
    static let default_toml: [UInt8] = []
    static let light_toml: [UInt8] = []
    static let high_contrast_toml: [UInt8] = []
    static let mono_toml: [UInt8] = []
    static let dracula_toml: [UInt8] = []
}
SWIFT
build_module OnboardTUI "$root"/Sources/OnboardTUI/*.swift "$out/PackageResources.swift"

declare -A extra=(
    [WireDecoding]="$root/Sources/ComposioAPI/JSONValue.swift $(ls "$root"/Sources/ComposioAPI/Wire*.swift | tr '\n' ' ')"
    [KeyDecoding]="$root/Sources/OnboardCurses/KeyDecoder.swift"
    [ImportParsing]=""
    [ThemeParsing]=""
)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(WireDecoding KeyDecoding ImportParsing ThemeParsing)
status=0
for target in "${targets[@]}"; do
    echo "fuzzing $target for ${seconds}s" >&2
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -I "$out" -L "$out" -lOnboardTUI -lOnboardCore -module-name "Fuzz$target" \
        -o "$out/$target" "$root/fuzz/targets/$target.swift" ${extra[$target]}
    corpus="$out/corpus-$target"
    mkdir -p "$corpus"
    cp -n "$root/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
    if ! (cd "$out" && "./$target" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/crash-$target-" "$corpus" 2> "$out/$target.log"); then
        echo "fuzz target $target failed; see $out/$target.log and $out/crash-$target-*" >&2
        tail -40 "$out/$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$out/$target.log" | tail -2 >&2
    fi
done
exit $status
