#!/usr/bin/env bash
# Refreshes the embedded GraphiQL from npm: the UMD builds of graphiql 3 (its last
# line with one) and React 18, gzipped. Run from this directory; review the diff.
set -euo pipefail
GRAPHIQL=3.8.3
REACT=18.3.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for p in "graphiql-$GRAPHIQL" "react-$REACT" "react-dom-$REACT"; do
	mkdir -p "$tmp/$p" && tar xzf "$tmp/$p.tgz" -C "$tmp/$p"
done
gzip -9 -n -c "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.js" >assets/graphiql.min.js.gz
gzip -9 -n -c "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.css" >assets/graphiql.min.css.gz
gzip -9 -n -c "$tmp/react-$REACT/package/umd/react.production.min.js" >assets/react.production.min.js.gz
gzip -9 -n -c "$tmp/react-dom-$REACT/package/umd/react-dom.production.min.js" >assets/react-dom.production.min.js.gz
{
	echo "== graphiql $GRAPHIQL =="; cat "$tmp/graphiql-$GRAPHIQL/package/LICENSE"; echo
	echo "== react $REACT, react-dom $REACT =="; cat "$tmp/react-$REACT/package/LICENSE"
} >assets/LICENSES.txt
