#!/usr/bin/env bash
# Install the map component's browser libraries from the npm registry, checked against pinned hashes:
# Leaflet (the map) and topojson-client (decodes the TopoJSON geometry).
# They are never committed and never loaded from a CDN: the browser gets them from the app.
# Also axe-core, for the accessibility tests only (tests/vendor/, never served by the app).
set -euo pipefail

LEAFLET=1.9.4
# sha256 of the files the map loads, from leaflet@1.9.4's dist/ (npm integrity
# sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==).
SHA_LEAFLET_JS=db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a
SHA_LEAFLET_CSS=a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6
TOPOJSON_CLIENT=3.1.0
# sha256 of dist/topojson-client.min.js from topojson-client@3.1.0 (npm integrity
# sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==).
SHA_TOPOJSON_JS=25cd02ae486cc5063e0215a4e4cfb15de83700c87ac48bac4d57dc6aaf3ebb89
AXE_CORE=4.14.1
# sha256 of axe.min.js from axe-core@4.14.1 (npm integrity
# sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==).
SHA_AXE_JS=29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/webparts/map_component/vendor"

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is needed once to install Leaflet $LEAFLET and topojson-client $TOPOJSON_CLIENT for the map" \
         "and axe-core $AXE_CORE for the tests (apt-get install npm), then re-run make." >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# install_package PACKAGE VERSION "SHA256  FILE ..." FILE...: npm pack PACKAGE@VERSION, check the pinned
# hashes (paths relative to the package), then copy the FILEs into vendor/PACKAGE in one step.
install_package() {
    local package=$1 version=$2 sums=$3
    shift 3
    mkdir -p "$work/$package"
    (cd "$work/$package" && npm pack --silent "$package@$version" >/dev/null)
    tar -xzf "$work/$package/$package-$version.tgz" -C "$work/$package"
    (cd "$work/$package/package" && echo "$sums" | sha256sum --check --quiet) || {
        echo "error: $package $version from the npm registry does not match the pinned sha256; not installed." >&2
        exit 1
    }
    local target="$VENDOR/$package"
    rm -rf "$target.part"
    mkdir -p "$target.part"
    (cd "$work/$package/package" && cp -r "$@" "$target.part/")
    rm -rf "$target"
    mv "$target.part" "$target"
    echo "$package $version installed in ${target#"$PWD/"}"
}

install_package leaflet "$LEAFLET" "$SHA_LEAFLET_JS  dist/leaflet.js
$SHA_LEAFLET_CSS  dist/leaflet.css" dist/leaflet.js dist/leaflet.css dist/images
install_package topojson-client "$TOPOJSON_CLIENT" "$SHA_TOPOJSON_JS  dist/topojson-client.min.js" \
    dist/topojson-client.min.js LICENSE
# The accessibility tests inject axe-core into the pages they check; the app never serves it.
VENDOR="$ROOT/tests/vendor"
install_package axe-core "$AXE_CORE" "$SHA_AXE_JS  axe.min.js" axe.min.js LICENSE
