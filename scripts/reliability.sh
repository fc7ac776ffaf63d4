#!/usr/bin/env bash
# The long run of the reliability suite (docs/RELIABILITY.md): the crash loop with 200+
# kills over 500 jobs, then the rest of tests/reliability and the fuzz replays with more
# mutants. CI runs the same tests with small counts (ctest -R 'reliability|fuzz').
#   scripts/reliability.sh                    200 kills, 500 jobs, 3000 mutants per seed
#   KILLS=1000 JOBS=500 scripts/reliability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh ci --target test_reliability ripen-cli ripen_enospc_shim \
    $(sed -n 's/^ripen_add_fuzz_harness(\([a-z0-9_]*\) .*/fuzz_\1/p' fuzz/CMakeLists.txt)
export RIPEN_RELIABILITY_KILLS="${KILLS:-200}"
export RIPEN_RELIABILITY_JOBS="${JOBS:-500}"
export RIPEN_FUZZ_MUTANTS="${MUTANTS:-3000}"
cd build/ci
# Run directly rather than through ctest, whose per-test timeout is sized for CI.
export RIPEN_CLI="${PWD}/app/ripen-cli"
export RIPEN_ENOSPC_SHIM="${PWD}/tests/libripen_enospc_shim.so"
export QT_QPA_PLATFORM=offscreen
log="${PWD}/reliability-long.log"
status=0
./tests/test_reliability --durations yes >"${log}" 2>&1 || status=$?
for harness in $(sed -n 's/^ripen_add_fuzz_harness(\([a-z0-9_]*\) .*/\1/p' ../../fuzz/CMakeLists.txt); do
    echo -n "fuzz.${harness}: " >>"${log}"
    "./fuzz/fuzz_${harness}" "../../fuzz/corpus/${harness}" >>"${log}" 2>&1 || status=$?
done
# The figures the tests print (kills, detection rates, inputs run) and the verdicts.
grep -E 'kills \(|detected at start-up|inputs run|test cases|FAILED' "${log}" || true
echo "full log: ${log}"
exit "${status}"
