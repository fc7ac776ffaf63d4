#!/usr/bin/env bash
# Installs what is needed, builds everything, and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh ci
export QT_QPA_PLATFORM=offscreen
ctest --preset ci "$@"
