// Drawing graphs with Cytoscape.js: the styles by kind of entity, the layouts, and the
// conversion from the API's subgraphs. Labels are drawn on the canvas as text.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import svg from "cytoscape-svg";
import type { EntityRef, Kind, Relation } from "./api";
import { relationVerb } from "./words";

cytoscape.use(fcose);
cytoscape.use(svg);

// Cytoscape inserts an inline <style> for its containers unless an element with this ID
// exists; the Content-Security-Policy refuses inline styles, so the rule is in
// style.css and this marker tells Cytoscape it is there.
if (!document.getElementById("__________cytoscape_stylesheet")) {
  const marker = document.createElement("meta");
  marker.id = "__________cytoscape_stylesheet";
  document.head.appendChild(marker);
}

export type Cy = cytoscape.Core;

export const kindColor: Record<Kind, string> = {
  STATE: "#9b1c1c",
  THREAT_ACTOR: "#5b21b6",
  INCIDENT: "#b45309",
  ORGANIZATION: "#1d4ed8",
  SECTOR: "#047857",
};

const kindShape: Record<Kind, string> = {
  STATE: "round-rectangle",
  THREAT_ACTOR: "diamond",
  INCIDENT: "ellipse",
  ORGANIZATION: "rectangle",
  SECTOR: "hexagon",
};

export const LARGE = 1000;

export function style(large: boolean): cytoscape.StylesheetJson {
  const s: cytoscape.StylesheetJson = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 11,
        "font-family": "system-ui, sans-serif",
        color: "#111827",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": "140px",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "min-zoomed-font-size": large ? 9 : 7,
        width: 22,
        height: 22,
        "border-width": 1,
        "border-color": "#ffffff",
      },
    },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": "#6b7280",
        "target-arrow-color": "#6b7280",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
        "curve-style": large ? "haystack" : "bezier",
        label: large ? "" : "data(label)",
        "font-size": 9,
        color: "#374151",
        "text-rotation": "autorotate",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "min-zoomed-font-size": 10,
      },
    },
    { selector: "edge[certainty = 'HEDGED']", style: { "line-style": "dashed", "line-color": "#9ca3af" } },
    { selector: "edge[type = 'COLLABORATES_WITH']", style: { "target-arrow-shape": "none" } },
    { selector: "node.seed", style: { width: 34, height: 34, "font-size": 13, "font-weight": "bold" } },
    // In big views (see the graph view's markLabels) the many lesser entities are
    // labelled only when zoomed in past 100% (Cytoscape compares the font size at the
    // zoom rounded up to a power of two), so that labels do not pile up zoomed out.
    { selector: "node.minor", style: { "min-zoomed-font-size": 12 } },
    { selector: "node.minor:selected", style: { "min-zoomed-font-size": 0 } },
    { selector: "node.pinned", style: { "border-width": 3, "border-color": "#111827", "border-style": "double" } },
    { selector: ":selected", style: { "overlay-color": "#f59e0b", "overlay-opacity": 0.35, "overlay-padding": 6 } },
    { selector: ".hidden, .filtered", style: { display: "none" } },
  ];
  for (const [k, c] of Object.entries(kindColor)) {
    s.push({ selector: `node[kind = '${k}']`, style: { "background-color": c, shape: kindShape[k as Kind] as any } });
  }
  return s;
}

export function nodeElement(n: EntityRef): cytoscape.ElementDefinition {
  return {
    group: "nodes",
    data: {
      id: n.id, label: n.name, kind: n.kind, date: n.date ?? "",
      year: n.date ? Number(n.date.slice(0, 4)) : 0,
    },
  };
}

export function edgeElement(e: Relation): cytoscape.ElementDefinition {
  return {
    group: "edges",
    data: { id: e.id, source: e.from.id, target: e.to.id, type: e.type, certainty: e.certainty, label: relationVerb[e.type] ?? e.type },
  };
}

export const layouts = ["auto", "fcose", "concentric", "breadthfirst", "circle", "grid"] as const;
export type LayoutName = (typeof layouts)[number];

export const layoutNames: Record<LayoutName, string> = {
  auto: "Automatic",
  fcose: "Force-directed",
  concentric: "Rings by importance",
  breadthfirst: "Tree",
  circle: "Circle",
  grid: "Grid",
};

// layoutOptions picks a layout that stays quick at the graph's size: force-directed up
// to a thousand entities, rings beyond.
export function layoutOptions(name: LayoutName, n: number, roots: string[]): cytoscape.LayoutOptions {
  const chosen = name === "auto" ? (n > LARGE ? "concentric" : "fcose") : name;
  switch (chosen) {
    case "fcose":
      return { name: "fcose", animate: false, randomize: true, quality: n > 300 ? "draft" : "default", nodeRepulsion: () => 20000, idealEdgeLength: () => 110, nodeSeparation: 90, fit: true, padding: 30 } as any;
    case "concentric":
      return { name: "concentric", animate: false, fit: true, padding: 20, minNodeSpacing: 4, concentric: (node: any) => node.degree(), levelWidth: () => 2 } as any;
    case "breadthfirst":
      return { name: "breadthfirst", animate: false, fit: true, padding: 20, directed: false, roots: roots.length ? roots.map((r) => `[id = ${JSON.stringify(r)}]`).join(", ") : undefined } as any;
    default:
      return { name: chosen, animate: false, fit: true, padding: 20 } as any;
  }
}

export function makeCy(container: HTMLElement, large: boolean, extra: Partial<cytoscape.CytoscapeOptions> = {}): Cy {
  return cytoscape({
    container,
    style: style(large),
    minZoom: 0.02,
    maxZoom: 4,
    // Large graphs pan and zoom as a picture, redrawn when the motion stops.
    textureOnViewport: large,
    hideEdgesOnViewport: false,
    motionBlur: !large,
    pixelRatio: large ? 1 : "auto",
    boxSelectionEnabled: false,
    ...extra,
  });
}
