#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (RELIABILITY.md F1): builds the `fuzz` preset
# (clang 16, ASan+UBSan) and runs one harness, or each in turn, for SECONDS each.
#   scripts/fuzz.sh                     every harness, 60 s each
#   scripts/fuzz.sh png_text_chunks 3600
# New inputs go to build/fuzz/corpus/<name>/ (the checked-in seeds stay small); a crash is
# written to build/fuzz/crashes/<name>/ and the run stops. Turn each crash into a seed in
# fuzz/corpus/<name>/ (then ctest fuzz.<name> replays it) and fix the bug in core.
set -euo pipefail
cd "$(dirname "$0")/.."
harness="${1:-all}"
seconds="${2:-60}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
./scripts/setup.sh fuzz
cmake --preset fuzz >/dev/null
names=()
if [ "${harness}" = "all" ]; then
    while read -r name; do names+=("${name}"); done < <(
        sed -n 's/^ripen_add_fuzz_harness(\([a-z0-9_]*\) .*/\1/p' fuzz/CMakeLists.txt)
else
    names=("${harness}")
fi
cmake --build --preset fuzz -j"${FUZZ_JOBS:-2}" --target "${names[@]/#/fuzz_}"
for name in "${names[@]}"; do
    work="build/fuzz/corpus/${name}"
    crashes="build/fuzz/crashes/${name}"
    mkdir -p "${work}" "${crashes}"
    max_len=1048576
    case "${name}" in png_text_chunks | generated_image) max_len=524288 ;; esac
    echo "fuzz: ${name} for ${seconds} s"
    "build/fuzz/fuzz/fuzz_${name}" "${work}" "fuzz/corpus/${name}" \
        -max_total_time="${seconds}" -max_len="${max_len}" -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="${crashes}/" -print_final_stats=1
done
