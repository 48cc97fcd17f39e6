#!/usr/bin/env bash
# Re-vendors the GraphiQL assets that web/ embeds, from the npm registry, at
# the exact versions (and Subresource Integrity hashes) that gqlgen's
# playground package pins. The files are committed so that GraphiQL works on a
# closed network; run this only to upgrade them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/web/graphiql"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent graphiql@4.1.2 react@18.2.0 react-dom@18.2.0 @graphiql/plugin-explorer@4.0.6 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
cp graphiql-4.1.2/package/graphiql.min.js graphiql-4.1.2/package/graphiql.min.css "$dest/"
cp react-18.2.0/package/umd/react.production.min.js "$dest/"
cp react-dom-18.2.0/package/umd/react-dom.production.min.js "$dest/"
cp graphiql-plugin-explorer-4.0.6/package/dist/index.umd.js "$dest/plugin-explorer.umd.js"
cp graphiql-plugin-explorer-4.0.6/package/dist/style.css "$dest/plugin-explorer.css"
cp graphiql-4.1.2/package/LICENSE "$dest/LICENSE.graphiql"
cp react-18.2.0/package/LICENSE "$dest/LICENSE.react"
echo "vendored into $dest:"
ls -l "$dest"
