#!/usr/bin/env bash
# Builds libFuzzer harnesses on a small machine (RELIABILITY.md F1): instead of all of core
# under clang 16 + ASan (the `fuzz` preset's ripen_core, 175 objects, over an hour on 2
# busy cores), only the core objects each harness reaches are compiled and linked in.
# Which ones is read from the GCC objects of the ci build (build/ci, so build it first)
# with nm: the harness's undefined symbols, then those of every object that defines one,
# and so on. scripts/fuzz.sh calls this with FUZZ_REACHED=1; by hand:
#   scripts/fuzz-reached.sh [harness ...]      (default: every harness)
#   FUZZ_SKIP_BUILD=1 scripts/fuzz.sh all 60
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
[ -d build/ci/core/CMakeFiles/ripen_core.dir ] || {
    echo "fuzz-reached: build the ci preset first (./scripts/build.sh ci)" >&2
    exit 2
}
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    mapfile -t names < <(sed -n 's/^ripen_add_fuzz_harness(\([a-z0-9_]*\) .*/\1/p' fuzz/CMakeLists.txt)
fi
cmake --preset fuzz >/dev/null
cmake --build build/ci --target "${names[@]/#/fuzz_}" -j"${FUZZ_JOBS:-2}" >/dev/null
work="build/fuzz/reached"
mkdir -p "${work}"
# One line per harness: "name object object ...", objects relative to the build folder.
python3 - "${work}/objects.txt" "${names[@]}" <<'EOF'
import glob, os, subprocess, sys
ci = "build/ci"
def nm(args, obj):
    out = subprocess.run(["nm", *args, obj], capture_output=True, text=True).stdout
    return out.splitlines()
core = glob.glob(ci + "/core/CMakeFiles/ripen_core.dir/**/*.o", recursive=True)
defined, needs = {}, {}
for obj in core:
    for line in nm(["--defined-only", "-g"], obj):
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in "TDBR":  # strong definitions only
            defined.setdefault(parts[2], obj)
    needs[obj] = [l.split()[-1] for l in nm(["-u"], obj) if l.strip()]
support = glob.glob(ci + "/fuzz/CMakeFiles/ripen_fuzz_support.dir/*.o")
with open(sys.argv[1], "w") as out:
    for name in sys.argv[2:]:
        todo = []
        for obj in glob.glob(f"{ci}/fuzz/CMakeFiles/fuzz_{name}.dir/**/*.o", recursive=True) + support:
            todo += [l.split()[-1] for l in nm(["-u"], obj) if l.strip()]
        seen, reached = set(), set()
        while todo:
            symbol = todo.pop()
            if symbol in seen:
                continue
            seen.add(symbol)
            obj = defined.get(symbol)
            if obj and obj not in reached:
                reached.add(obj)
                todo += needs[obj]
        out.write(name + " " + " ".join(sorted(os.path.relpath(o, ci) for o in reached)) + "\n")
EOF
cd build/fuzz
harness_object() { grep -o "fuzz/CMakeFiles/fuzz_$1\.dir/harnesses/[A-Za-z0-9]*\.cpp\.o" build.ninja | head -1; }
support="fuzz/CMakeFiles/ripen_fuzz_support.dir/FuzzSupport.cpp.o"
mapfile -t objects < <(cut -d' ' -f2- reached/objects.txt | tr ' ' '\n' | sort -u)
targets=("${support}")
for name in "${names[@]}"; do targets+=("$(harness_object "${name}")"); done
ninja -j"${FUZZ_JOBS:-2}" "${targets[@]}" "${objects[@]}"
# The system libraries every harness links (the same for all of them).
libraries=$(grep -m1 -A3 "^build fuzz/fuzz_${names[0]}:" build.ninja | sed -n 's/^ *LINK_LIBRARIES = //p' |
    sed 's#fuzz/libripen_fuzz_support\.a##; s#core/libripen_core\.a##')
mkdir -p fuzz
while read -r name reached; do
    rm -f "reached/core_${name}.a"
    # shellcheck disable=SC2086 # word lists
    ar rcs "reached/core_${name}.a" ${reached}
    # shellcheck disable=SC2086
    clang++-16 -O1 -gline-tables-only -fsanitize=address,undefined -fsanitize=fuzzer \
        "$(harness_object "${name}")" "${support}" "reached/core_${name}.a" ${libraries} \
        -o "fuzz/fuzz_${name}"
    echo "fuzz-reached: fuzz_${name} ($(wc -w <<<"${reached}") core objects)"
done <reached/objects.txt
