#!/usr/bin/env bash
# Configures and builds Ripen with the given CMake preset (default: ci).
# Shared by run.sh, test.sh and bench.sh so they reuse one build tree and ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
# Paths relative to the checkout in ccache's hash: build trees and clean clones share hits.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
# Debug info names the build directory, so by default ccache hashes it and a clean clone
# elsewhere misses every object; the directory in the debug info does not matter here.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
preset="${1:-ci}"
shift || true
# Configure every time (a few seconds): the preset's settings win over a stale cache.
cmake --preset "${preset}" >/dev/null
cmake --build --preset "${preset}" "$@"
