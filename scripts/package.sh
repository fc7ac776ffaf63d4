#!/usr/bin/env bash
# Builds the Debian package of Ripen (release preset, no tests) into build/package/.
# Install it with: sudo apt install ./build/package/ripen_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh release
mkdir -p build/package
cpack --config build/release/CPackConfig.cmake -B build/package
ls -1 build/package/*.deb
