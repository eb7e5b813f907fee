#!/usr/bin/env bash
# Install Leaflet for the map component from the npm registry, checked against pinned hashes.
# Leaflet is never committed and never loaded from a CDN: the browser gets it from the app.
set -euo pipefail

VERSION=1.9.4
# sha256 of the files the map loads, from leaflet@1.9.4's dist/ (npm integrity
# sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==).
SHA_JS=db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a
SHA_CSS=a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6

TARGET="$(cd "$(dirname "$0")/.." && pwd)/dashboard/map_component/vendor/leaflet"

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is needed once to install Leaflet $VERSION for the map (apt-get install npm), then re-run make." >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@$VERSION" >/dev/null)
tar -xzf "$work/leaflet-$VERSION.tgz" -C "$work"
dist="$work/package/dist"
echo "$SHA_JS  $dist/leaflet.js
$SHA_CSS  $dist/leaflet.css" | sha256sum --check --quiet || {
    echo "error: Leaflet $VERSION from the npm registry does not match the pinned sha256; not installed." >&2
    exit 1
}

rm -rf "$TARGET.part"
mkdir -p "$TARGET.part"
cp "$dist/leaflet.js" "$dist/leaflet.css" "$TARGET.part/"
cp -r "$dist/images" "$TARGET.part/"
rm -rf "$TARGET"
mv "$TARGET.part" "$TARGET"
echo "Leaflet $VERSION installed in ${TARGET#"$PWD/"}"
