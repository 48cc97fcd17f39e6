#!/usr/bin/env bash
# Re-vendors the explorer's third-party assets from the npm registry at exact
# versions: Cytoscape.js (graph drawing) and the Sarabun Thai webfont
# (Fontsource, SIL OFL 1.1). The copies in vendor/ are committed, embedded in
# the Go binary and served at /explore/vendor/, so the explorer works on a
# closed network; run this only to upgrade them.
set -euo pipefail
CYTOSCAPE=3.35.0
SARABUN=5.3.0
dest="$(cd "$(dirname "$0")" && pwd)/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "cytoscape@$CYTOSCAPE" "@fontsource/sarabun@$SARABUN" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest"
mkdir -p "$dest/fonts"
cp "cytoscape-$CYTOSCAPE/package/dist/cytoscape.min.js" "$dest/"
cp "cytoscape-$CYTOSCAPE/package/LICENSE" "$dest/LICENSE.cytoscape"
for w in 400 700; do
  for subset in thai latin; do
    cp "fontsource-sarabun-$SARABUN/package/files/sarabun-$subset-$w-normal.woff2" "$dest/fonts/"
  done
done
cp "fontsource-sarabun-$SARABUN/package/LICENSE" "$dest/fonts/LICENSE.sarabun"
printf 'cytoscape@%s\n@fontsource/sarabun@%s\n' "$CYTOSCAPE" "$SARABUN" > "$dest/VERSIONS"
echo "vendored into $dest:"
ls -lR "$dest"
