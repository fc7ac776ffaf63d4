#!/usr/bin/env bash
# Fetches the photographs bench_upscale's round trip measures into .cache/photos. They are
# scikit-image's sample photographs, taken from the Debian package python3-skimage (only
# downloaded and unpacked, not installed: it would pull in SciPy and Matplotlib):
#   astronaut.png  Eileen Collins, NASA Great Images database: public domain
#   chelsea.png    Chelsea the cat, Stefan van der Walt: CC0
#   coffee.png     coffee cup, Rachel Michetti (Pikolo Espresso Bar): CC0
#   rocket.jpg     DSCOVR launch on Falcon 9, SpaceX: released into the public domain
# (the licences as skimage/data/_fetchers.py and /usr/share/doc/python3-skimage/copyright
# state them). Each file is checked by SHA-256. Idempotent: nothing is fetched once all
# four match.
set -euo pipefail
cd "$(dirname "$0")/.."
photos="$(pwd)/.cache/photos"

files=(
    "astronaut.png 88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
    "chelsea.png 596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"
    "coffee.png cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"
    "rocket.jpg c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"
)

all_present() {
    local entry name hash
    for entry in "${files[@]}"; do
        read -r name hash <<<"$entry"
        [ -f "$photos/$name" ] && [ "$(sha256sum "$photos/$name" | cut -d' ' -f1)" = "$hash" ] ||
            return 1
    done
}

if all_present; then
    exit 0
fi
echo "fetch-photos: python3-skimage sample photographs"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
if ! (cd "$scratch" && apt-get download -qq python3-skimage 2>/dev/null); then
    as_root=()
    [ "$(id -u)" -ne 0 ] && as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    (cd "$scratch" && apt-get download -qq python3-skimage)
fi
data=./usr/lib/python3/dist-packages/skimage/data
members=()
for entry in "${files[@]}"; do
    read -r name _ <<<"$entry"
    members+=("$data/$name")
done
dpkg-deb --fsys-tarfile "$scratch"/python3-skimage_*.deb | tar -x -C "$scratch" "${members[@]}"
mkdir -p "$photos"
for entry in "${files[@]}"; do
    read -r name hash <<<"$entry"
    actual="$(sha256sum "$scratch/$data/$name" | cut -d' ' -f1)"
    if [ "$actual" != "$hash" ]; then
        echo "fetch-photos: $name does not match its pinned SHA-256 ($actual)" >&2
        exit 1
    fi
    cp "$scratch/$data/$name" "$photos/$name.partial"
    mv "$photos/$name.partial" "$photos/$name"
done
