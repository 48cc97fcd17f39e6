#!/usr/bin/env bash
# Re-vendors the explorer's third-party assets from the npm registry at exact
# versions: Cytoscape.js (graph drawing), its fCoSE force layout
# (cytoscape-fcose with cose-base and layout-base, MIT) and the Sarabun
# Thai webfont (Fontsource, SIL OFL 1.1). The SVG export is our own
# (../svg.js): cytoscape-svg is GPL-3.0. The copies in vendor/
# are committed, embedded in the Go binary and served at /explore/vendor/, so
# the explorer works on a closed network; run this only to upgrade them.
set -euo pipefail
CYTOSCAPE=3.35.0
SARABUN=5.3.0
FCOSE=2.2.0
COSE_BASE=2.2.0
LAYOUT_BASE=2.0.1
dest="$(cd "$(dirname "$0")" && pwd)/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "cytoscape@$CYTOSCAPE" "@fontsource/sarabun@$SARABUN" \
  "cytoscape-fcose@$FCOSE" "cose-base@$COSE_BASE" "layout-base@$LAYOUT_BASE" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest"
mkdir -p "$dest/fonts"
cp "cytoscape-$CYTOSCAPE/package/dist/cytoscape.min.js" "$dest/"
cp "cytoscape-$CYTOSCAPE/package/LICENSE" "$dest/LICENSE.cytoscape"
# the layout and its two bases load in this order: layout-base, cose-base,
# cytoscape-fcose (each UMD build reads the one before from window)
for p in "layout-base-$LAYOUT_BASE/package/layout-base" "cose-base-$COSE_BASE/package/cose-base" \
  "cytoscape-fcose-$FCOSE/package/cytoscape-fcose"; do
  name=$(basename "$p")
  cp "$p.js" "$dest/$name.js"
  cp "$(dirname "$p")/LICENSE" "$dest/LICENSE.$name"
done
for w in 400 700; do
  for subset in thai latin; do
    cp "fontsource-sarabun-$SARABUN/package/files/sarabun-$subset-$w-normal.woff2" "$dest/fonts/"
  done
done
cp "fontsource-sarabun-$SARABUN/package/LICENSE" "$dest/fonts/LICENSE.sarabun"
printf 'cytoscape@%s\n@fontsource/sarabun@%s\ncytoscape-fcose@%s\ncose-base@%s\nlayout-base@%s\n' \
  "$CYTOSCAPE" "$SARABUN" "$FCOSE" "$COSE_BASE" "$LAYOUT_BASE" > "$dest/VERSIONS"
echo "vendored into $dest:"
ls -lR "$dest"
