#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (RELIABILITY.md F1): builds the `fuzz` preset
# (clang 16, ASan+UBSan) and runs one harness, or each in turn, for SECONDS each.
# clang 16 and its libFuzzer runtime (about 240 MB, Debian 12's clang-16 and
# libclang-rt-16-dev) are installed here on first use, not by setup.sh, so CI stays lean.
#   scripts/fuzz.sh                     every harness, 60 s each
#   scripts/fuzz.sh png_text_chunks 3600
#   FUZZ_REACHED=1 scripts/fuzz.sh all 60   (small machine: see scripts/fuzz-reached.sh)
# New inputs go to build/fuzz/corpus/<name>/ (the checked-in seeds stay small); a crash is
# written to build/fuzz/crashes/<name>/ and stops that harness (the next one still runs;
# the script exits 1). build/fuzz/summary.txt lists runs, exec/s, coverage and verdict per
# harness. Turn each crash into a seed in fuzz/corpus/<name>/ (then ctest fuzz.<name>
# replays it) and fix the bug in core.
set -euo pipefail
cd "$(dirname "$0")/.."
harness="${1:-all}"
seconds="${2:-60}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
fuzz_packages=(clang-16 libclang-rt-16-dev)
missing=()
for p in "${fuzz_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    as_root=()
    [ "$(id -u)" -ne 0 ] && as_root=(sudo)
    echo "fuzz: installing ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"
fi
cmake --preset fuzz >/dev/null
names=()
if [ "${harness}" = "all" ]; then
    while read -r name; do names+=("${name}"); done < <(
        sed -n 's/^ripen_add_fuzz_harness(\([a-z0-9_]*\) .*/\1/p' fuzz/CMakeLists.txt)
else
    names=("${harness}")
fi
# FUZZ_SKIP_BUILD=1 runs harnesses already built (or linked by hand) in build/fuzz/fuzz/.
# FUZZ_REACHED=1 compiles only the core objects each harness reaches (scripts/fuzz-reached.sh:
# needs the ci build; minutes instead of an hour on 2 cores).
if [ -n "${FUZZ_REACHED:-}" ] && [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
    scripts/fuzz-reached.sh "${names[@]}"
elif [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
    cmake --build --preset fuzz -j"${FUZZ_JOBS:-2}" --target "${names[@]/#/fuzz_}"
else
    mapfile -t names < <(for n in "${names[@]}"; do [ -x "build/fuzz/fuzz/fuzz_${n}" ] && echo "$n"; done)
fi
summary="build/fuzz/summary.txt"
: >"${summary}"
failed=0
for name in "${names[@]}"; do
    work="build/fuzz/corpus/${name}"
    crashes="build/fuzz/crashes/${name}"
    mkdir -p "${work}" "${crashes}"
    max_len=1048576
    case "${name}" in png_text_chunks | generated_image) max_len=524288 ;; esac
    echo "fuzz: ${name} for ${seconds} s"
    log="build/fuzz/${name}.log"
    status=0
    "build/fuzz/fuzz/fuzz_${name}" "${work}" "fuzz/corpus/${name}" \
        -max_total_time="${seconds}" -max_len="${max_len}" -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="${crashes}/" -print_final_stats=1 >"${log}" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "${log}" | tail -1)
    verdict="ok"
    if [ "${status}" -ne 0 ]; then
        verdict="CRASH (exit ${status}): $(ls -t "${crashes}" | head -1)"
        failed=1
        grep -m3 -E 'ERROR: |runtime error|SUMMARY' "${log}" || true
    fi
    printf '%-20s %10s runs %7s exec/s  %-10s %s\n' "${name}" "${runs:-?}" "${rate:-?}" \
        "${cov:-}" "${verdict}" | tee -a "${summary}"
done
echo "fuzz: summary in ${summary}; logs in build/fuzz/<name>.log"
exit "${failed}"
