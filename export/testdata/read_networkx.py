"""Reads a GraphML or GEXF export with NetworkX and prints what it found as JSON.

Usage: python3 read_networkx.py graphml|gexf FILE
Prints {"nodes": N, "edges": M, "multigraph": bool, "node": {...}, "edge": {...}}:
the counts, and the attributes of one node and one edge, so the Go test can check that
certainty and confidence arrive typed.
"""
import json
import sys

import networkx as nx


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "graphml":
        g = nx.read_graphml(path)
    elif kind == "gexf":
        g = nx.read_gexf(path, version="1.3")
    else:
        sys.exit("unknown format " + kind)
    nodes = {n: d for n, d in g.nodes(data=True)}
    edges = {}
    for e in g.edges(data=True):
        d = dict(e[2])
        d.pop("spells", None)
        key = d.get("id") or "%s>%s" % (e[0], e[1])
        edges[str(key)] = d
    print(json.dumps({
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "multigraph": g.is_multigraph(),
        "nodeAttrs": {str(k): {a: v for a, v in d.items() if a != "spells"} for k, d in nodes.items()},
        "edgeAttrs": edges,
    }, default=str))


if __name__ == "__main__":
    main()
