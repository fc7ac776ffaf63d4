#!/usr/bin/env bash
# Builds the bench programs with the ci preset and runs them, printing each Ripen figure
# beside its PERFORMANCE.md anchor re-measured in this same run. Medians, not assertions:
# nothing here fails on a slow result.
#
#   ./scripts/bench.sh           full size: 1000 JPEGs x 3 import runs, 100k-asset catalog,
#                                1000 queued jobs (zero latency) and 200 (200 ms latency),
#                                a 1,000,000-entry credit ledger
#   ./scripts/bench.sh --quick   200 JPEGs, a 20k-asset catalog, 200 / 80 queued jobs,
#                                a 100,000-entry ledger
#
# bench_upscale: x4 of 512x512 and 1024x1024 per neural engine vs OpenCV Lanczos and vs
# realesrgan-ncnn-vulkan on lavapipe, an 8K output's peak memory, round-trip quality on
# photographs (scripts/fetch-photos.sh) and the issue's targets. About 50 minutes on 2 shared
# cores, 20 of them the binary at 1024x1024: BENCH_UPSCALE_ARGS="--sides 512 --eightk none"
# for a shorter run.
# bench_inpaint: local inpaint of a 5% mask on a 4096x4096 image (1024x1024 with --quick).
# bench_batch: cut-out, 20 ad variants and 10 mockups at 2048x2048 (issue 9).
# bench_recipe: plan and queue a 500-job recipe (time to parse, plan and queue; peak memory).
# bench_credits_stall: the GUI thread's heartbeat lateness while the credit dashboard refreshes.
# bench_brush: inpaint editor brush latency (mouse move to repainted region) and memory on
# 4096x4096 and 8192x8192 images, offscreen.
# bench_load: GUI-thread heartbeat while 500 jobs (loopback fake provider), 20 large imports
# and gallery scrolling run at once, and peak memory when 500 results land (issue 10, Load).
# bench_thumbnails: Ripen's thumbnail path vs vipsthumbnail on 1,000 1024x1024 JPEGs, as a
# ratio (issue 4).
#
# Extra per-program options go in BENCH_IMPORT_ARGS / BENCH_QUERY_ARGS / BENCH_SCHEDULER_ARGS
# / BENCH_CREDITS_ARGS / BENCH_VIDEO_ARGS / BENCH_INPAINT_ARGS / BENCH_BATCH_ARGS / BENCH_BRUSH_ARGS
# / BENCH_RECIPE_ARGS / BENCH_LOAD_ARGS / BENCH_THUMBNAILS_ARGS (e.g. "--runs 5").
# Generated corpora and catalogs are cached in $RIPEN_BENCH_CACHE (default
# ${TMPDIR:-/tmp}/ripen-bench), so only the first run pays for generating them.
set -euo pipefail
cd "$(dirname "$0")/.."

size_args=()
for arg in "$@"; do
    case "$arg" in
        --quick) size_args=(--quick) ;;
        *) echo "bench.sh: unknown option '$arg' (accepted: --quick)" >&2; exit 2 ;;
    esac
done

./scripts/setup.sh
# Only the bench targets: the ci preset also configures the GUI, which the benches don't need.
./scripts/build.sh ci --target bench_import bench_query bench_scheduler bench_credits bench_credits_stall \
    bench_video bench_inpaint bench_batch bench_brush bench_gallery bench_recipe bench_load \
    bench_thumbnails

echo "# Ripen benchmarks"
echo
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo
# shellcheck disable=SC2086 # the *_ARGS variables are word lists on purpose
./build/ci/bench/bench_import "${size_args[@]}" ${BENCH_IMPORT_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_query "${size_args[@]}" ${BENCH_QUERY_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_scheduler "${size_args[@]}" ${BENCH_SCHEDULER_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_credits "${size_args[@]}" ${BENCH_CREDITS_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_credits_stall "${size_args[@]}" ${BENCH_CREDITS_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_video "${size_args[@]}" ${BENCH_VIDEO_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_inpaint "${size_args[@]}" ${BENCH_INPAINT_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_batch "${size_args[@]}" ${BENCH_BATCH_ARGS:-}
echo
# shellcheck disable=SC2086
QT_QPA_PLATFORM=offscreen ./build/ci/bench/bench_brush "${size_args[@]}" ${BENCH_BRUSH_ARGS:-}
echo
# shellcheck disable=SC2086
QT_QPA_PLATFORM=offscreen ./build/ci/bench/bench_gallery "${size_args[@]}" ${BENCH_GALLERY_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_recipe "${size_args[@]}" ${BENCH_RECIPE_ARGS:-}
echo
# shellcheck disable=SC2086
QT_QPA_PLATFORM=offscreen ./build/ci/bench/bench_load "${size_args[@]}" ${BENCH_LOAD_ARGS:-}
echo
# shellcheck disable=SC2086
./build/ci/bench/bench_thumbnails "${size_args[@]}" ${BENCH_THUMBNAILS_ARGS:-}
echo
# bench_upscale: x4 of 512 and 1024 per neural engine vs OpenCV Lanczos and the
# realesrgan-ncnn-vulkan binary, an 8K output, round-trip quality on photographs.
./scripts/fetch-photos.sh
./scripts/build.sh ci --target bench_upscale >/dev/null
# shellcheck disable=SC2086
./build/ci/bench/bench_upscale .cache/models ${BENCH_UPSCALE_ARGS:-}
echo
# bench_open_check: the start-up quick_check on a 100k-asset library (RELIABILITY.md D6).
./scripts/build.sh ci --target bench_open_check >/dev/null
# shellcheck disable=SC2086
./build/ci/bench/bench_open_check "${size_args[@]}" ${BENCH_OPEN_CHECK_ARGS:-}
