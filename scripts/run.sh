#!/usr/bin/env bash
# Installs what is needed, builds, and starts the Ripen GUI on its default library
# (or pass --library DIR and any other ripen option).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh ci --target ripen ripen-cli
exec ./build/ci/app/ripen "$@"
