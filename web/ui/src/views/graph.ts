// The graph view: an interactive picture of entities and relations, drawn by
// Cytoscape.js. Expand a node's neighbours, hide and pin nodes, filter by kind, date
// and certainty, change the layout, and export what is on screen. Everything it shows
// is recorded in the address, so a copied link restores it.
import type { NodeSingular } from "cytoscape";
import { EV, exportGraph, gql, type EntityRef, type Evidence, type Kind, type Relation } from "../api";
import { download, h, status } from "../dom";
import { badge, claims } from "../evidence";
import { edgeElement, kindColor, LARGE, layoutNames, layoutOptions, layouts, makeCy, nodeElement, type Cy, type LayoutName } from "../graphcore";
import { entityHref, replaceQuery } from "../router";
import { searchBox } from "../search";
import { dateWords, kindName, kindPlural, relationVerb } from "../words";

// Views of more than FEW entities label only their HUBS (and seeds) when zoomed out;
// views of more than LARGE, only their BIG_HUBS, which a ring layout puts together.
const FEW = 60;
const HUBS = 25;
const BIG_HUBS = 10;

const KINDS: Kind[] = ["STATE", "THREAT_ACTOR", "INCIDENT", "ORGANIZATION", "SECTOR"];
export const FORMATS = ["graphml", "gexf", "cytoscape", "csv", "stix", "cypher", "markdown", "html"] as const;
const formatNames: Record<string, string> = {
  graphml: "GraphML (Gephi, yEd)", gexf: "GEXF (Gephi)", cytoscape: "Cytoscape JSON", csv: "CSV (spreadsheet)",
  stix: "STIX 2.1", cypher: "Cypher (Neo4j)", markdown: "Markdown", html: "Web page (HTML)",
};

interface Sub { nodes: EntityRef[]; edges: Relation[] }

const list = (p: URLSearchParams, k: string) => (p.get(k) ?? "").split(",").map((s) => s.trim()).filter(Boolean);

// The kinds the export names, as the API names them; the view draws these alone.
const EXPORT_KIND: Record<string, Kind> = { State: "STATE", ThreatActor: "THREAT_ACTOR", Incident: "INCIDENT", Organization: "ORGANIZATION", Sector: "SECTOR" };

// fetchSub loads the seeds and everything within depth steps of them in one request to
// the export endpoint, which streams it: at most limit entities, the nearest kept when
// there are more (cut then says how many were kept).
async function fetchSub(seeds: string[], depth: number, limit: number): Promise<Sub & { cut: number }> {
  const p = new URLSearchParams();
  for (const s of seeds) p.append("seed", s);
  p.set("depth", String(Math.min(MAX_DEPTH, depth)));
  p.set("kind", Object.keys(EXPORT_KIND).join(","));
  p.set("limit", String(limit));
  p.set("cut", "true");
  const g = await exportGraph(p);
  const str = (v: unknown) => (v === undefined || v === null || v === "" ? null : String(v));
  const nodes: EntityRef[] = g.elements.nodes.flatMap(({ data: d }) => {
    const kind = EXPORT_KIND[String(d.kind)];
    if (!kind) return [];
    return [{ id: String(d.id), name: String(d.label ?? d.id), kind, date: str(d.date), actorKind: str(d.actorKind),
      stolenUSD: typeof d.usd === "number" ? d.usd : null }];
  });
  const edges: Relation[] = g.elements.edges.map(({ data: d }) => ({
    id: String(d.id), type: String(d.type ?? d.label),
    // anything but a plain "asserted" stays hedged
    certainty: String(d.certainty) === "asserted" ? "ASSERTED" : "HEDGED",
    from: { id: String(d.source) } as EntityRef, to: { id: String(d.target) } as EntityRef,
  }));
  return { nodes, edges, cut: g.cut };
}

// The export walks at most this many steps (graph.MaxDepth).
const MAX_DEPTH = 6;

// placeAround puts nodes on rings around a centre, the nearest ring first.
function placeAround(center: { x: number; y: number }, nodes: NodeSingular[]) {
  let r = 120;
  for (let i = 0; i < nodes.length; r += 75) {
    const ring = nodes.slice(i, i + Math.max(6, Math.floor((2 * Math.PI * r) / 75)));
    const turn = r / 300; // each ring a little turned, so that labels do not line up
    ring.forEach((n, j) => {
      const a = turn + (2 * Math.PI * j) / ring.length;
      n.position({ x: center.x + r * Math.cos(a), y: center.y + r * Math.sin(a) });
    });
    i += ring.length;
  }
}

export async function graphView(main: HTMLElement, params: URLSearchParams) {
  const st = {
    seeds: params.getAll("seed").flatMap((s) => s.split(",")).filter(Boolean),
    depth: Math.min(3, Math.max(1, Number(params.get("depth")) || 1)),
    kinds: new Set<Kind>((list(params, "kinds").filter((k) => KINDS.includes(k as Kind)) as Kind[]).concat(params.has("kinds") ? [] : KINDS)),
    hidden: new Set(list(params, "hidden")),
    pinned: new Set(list(params, "pinned")),
    expanded: list(params, "expanded"),
    grow: Math.min(5, Math.max(0, Number(params.get("grow")) || 0)),
    layout: (layouts as readonly string[]).includes(params.get("layout") ?? "") ? (params.get("layout") as LayoutName) : "auto",
    asserted: params.get("certainty") === "asserted",
    from: Number(params.get("from")) || 0,
    to: Number(params.get("to")) || 0,
    max: Math.min(10000, Math.max(10, Number(params.get("max")) || 5000)),
    selected: params.get("selected") ?? "",
  };
  document.title = "Graph · cyberkg explorer";

  const save = () => {
    const p = new URLSearchParams();
    for (const s of st.seeds) p.append("seed", s);
    p.set("depth", String(st.depth));
    if (st.kinds.size !== KINDS.length) p.set("kinds", [...st.kinds].join(","));
    if (st.hidden.size) p.set("hidden", [...st.hidden].join(","));
    if (st.pinned.size) p.set("pinned", [...st.pinned].join(","));
    if (st.expanded.length) p.set("expanded", st.expanded.join(","));
    if (st.grow) p.set("grow", String(st.grow));
    if (st.layout !== "auto") p.set("layout", st.layout);
    if (st.asserted) p.set("certainty", "asserted");
    if (st.from) p.set("from", String(st.from));
    if (st.to) p.set("to", String(st.to));
    if (st.max !== 5000) p.set("max", String(st.max));
    if (st.selected) p.set("selected", st.selected);
    replaceQuery(p);
  };

  const live = h("p", { class: "graph-status", role: "status", "aria-live": "polite" });
  // Says when the view was cut to its size: never silently.
  const cutNote = h("p", { id: "graph-cut", class: "notice", role: "note", hidden: true });
  const canvas = h("div", { class: "cy", tabindex: "0", role: "application",
    "aria-label": "Graph. Arrow keys pan, plus and minus zoom. Choose entities with the list beside it.", "aria-describedby": "graph-help" });
  const details = h("div", { class: "details", "aria-live": "polite" });
  const picker = h("select", { id: "graph-list", size: "8", class: "entity-list" });
  const hiddenBtn = h("button", { type: "button", hidden: true }, "");
  const exportMsg = h("p", { class: "muted", role: "status" });

  const adder = searchBox({ label: "Add an entity", placeholder: "Add to the graph…", onPick: (hit) => {
    if (!st.seeds.includes(hit.id)) st.seeds.push(hit.id);
    st.selected = hit.id;
    save();
    load();
  } });

  const depthSel = h("select", { id: "g-depth" }, [1, 2, 3].map((d) => h("option", { value: String(d), selected: d === st.depth }, d === 1 ? "Direct links" : `${d} steps away`)));
  depthSel.addEventListener("change", () => { st.depth = Number(depthSel.value); save(); load(); });
  const layoutSel = h("select", { id: "g-layout" }, layouts.map((l) => h("option", { value: l, selected: l === st.layout }, layoutNames[l])));
  layoutSel.addEventListener("change", () => { st.layout = layoutSel.value as LayoutName; save(); runLayout(); });
  const kindBoxes = KINDS.map((k) => {
    const cb = h("input", { type: "checkbox", id: `g-k-${k}`, checked: st.kinds.has(k) });
    cb.addEventListener("change", () => { cb.checked ? st.kinds.add(k) : st.kinds.delete(k); save(); applyFilters(); });
    return h("label", { for: `g-k-${k}`, class: "check" }, cb, h("span", { class: "swatch", "data-kind": k }), kindPlural[k]);
  });
  const assertedCb = h("input", { type: "checkbox", id: "g-asserted", checked: st.asserted });
  assertedCb.addEventListener("change", () => { st.asserted = assertedCb.checked; save(); applyFilters(); });
  const fromIn = h("input", { type: "number", id: "g-from", min: "1990", max: "2100", inputmode: "numeric", value: st.from || "" });
  const toIn = h("input", { type: "number", id: "g-to", min: "1990", max: "2100", inputmode: "numeric", value: st.to || "" });
  const onYears = () => { st.from = Number(fromIn.value) || 0; st.to = Number(toIn.value) || 0; save(); applyFilters(); };
  fromIn.addEventListener("change", onYears);
  toIn.addEventListener("change", onYears);
  const formatSel = h("select", { id: "g-format" }, FORMATS.map((f) => h("option", { value: f }, formatNames[f])));

  const controls = h("form", { class: "controls", "aria-label": "Graph settings", onsubmit: (e: Event) => e.preventDefault() },
    adder.el,
    h("div", { class: "field" }, h("label", { for: "g-depth" }, "Show"), depthSel),
    h("div", { class: "field" }, h("label", { for: "g-layout" }, "Layout"), layoutSel),
    h("fieldset", null, h("legend", null, "Kinds shown"), kindBoxes),
    h("fieldset", null, h("legend", null, "Certainty"),
      h("label", { for: "g-asserted", class: "check" }, assertedCb, "Only links a source states as fact")),
    h("fieldset", { class: "years" }, h("legend", null, "Incidents between"),
      h("label", { for: "g-from" }, "From year"), h("label", { for: "g-to" }, "To year"), fromIn, toIn),
    h("div", { class: "buttons" },
      h("button", { type: "button", onclick: () => { st.grow = Math.min(5, st.grow + 1); save(); load(); } }, "Expand everything shown"),
      h("button", { type: "button", onclick: () => cy?.fit(undefined, 30) }, "Fit to screen"),
      hiddenBtn),
    h("fieldset", { class: "export" }, h("legend", null, "Export this view"),
      h("div", { class: "buttons" },
        h("button", { type: "button", id: "export-png", onclick: () => exportImage("png") }, "Picture (PNG)"),
        h("button", { type: "button", id: "export-svg", onclick: () => exportImage("svg") }, "Drawing (SVG)")),
      h("label", { for: "g-format" }, "Data format"), formatSel,
      h("button", { type: "button", id: "export-data", onclick: () => exportData() }, "Download the data"),
      exportMsg));

  main.replaceChildren(
    h("h1", { tabindex: "-1", class: "compact" }, "Graph"),
    h("p", { id: "graph-help", class: "muted help" }, "Click an entity to see it, expand it, hide it or pin it in place. Solid lines are stated as fact by a source; dashed lines are only suspected."),
    live, cutNote,
    h("div", { class: "graph-layout" }, controls, canvas,
      h("aside", { class: "side", "aria-label": "Selection" }, details,
        h("label", { for: "graph-list" }, "Entities in view"), picker)));

  let cy: Cy | null = null;
  let loadSeq = 0;

  const visibleNodes = () => cy!.nodes().filter((n) => !n.hasClass("hidden") && !n.hasClass("filtered"));

  function applyFilters() {
    if (!cy) return;
    cy.batch(() => {
      cy!.nodes().forEach((n) => {
        const k = n.data("kind") as Kind;
        const y = n.data("year") as number;
        let out = !st.kinds.has(k);
        if (k === "INCIDENT" && (st.from || st.to)) out ||= !y || (st.from > 0 && y < st.from) || (st.to > 0 && y > st.to);
        // each change costs a style update: make only the changes there are
        const hidden = st.hidden.has(n.id()), pinned = st.pinned.has(n.id());
        if (n.hasClass("filtered") !== out) n.toggleClass("filtered", out);
        if (n.hasClass("hidden") !== hidden) n.toggleClass("hidden", hidden);
        if (n.hasClass("pinned") !== pinned) n.toggleClass("pinned", pinned);
        if (n.locked() !== pinned) { if (pinned) n.lock(); else n.unlock(); }
      });
      cy!.edges().forEach((e) => {
        const out = st.asserted && e.data("certainty") === "HEDGED";
        if (e.hasClass("filtered") !== out) e.toggleClass("filtered", out);
      });
    });
    hiddenBtn.hidden = st.hidden.size === 0;
    hiddenBtn.textContent = `Show the ${st.hidden.size} hidden`;
    hiddenBtn.onclick = () => { st.hidden.clear(); save(); applyFilters(); };
    refreshList();
  }

  function refreshList() {
    if (!cy) return;
    const vis = visibleNodes();
    // From the classes, not visible(), which would compute every element's style here.
    const shown = new Set(vis.map((n) => n.id()));
    const links = cy.edges().filter((e) => !e.hasClass("filtered") && shown.has(e.data("source")) && shown.has(e.data("target"))).length;
    live.textContent = `Showing ${vis.length} entities and ${links} links.`;
    const order = new Intl.Collator("en");
    const opts = vis.map((n) => [String(n.data("label")), n.id(), n.data("kind")] as const).sort((a, b) => order.compare(a[0], b[0])).slice(0, 500)
      .map(([label, id, kind]) => h("option", { value: id, selected: id === st.selected }, `${label} (${kindName(kind)})`));
    picker.replaceChildren(...opts);
  }

  function runLayout() {
    if (!cy) return;
    const els = cy.elements().filter((e) => !e.hasClass("hidden") && !e.hasClass("filtered"));
    els.layout(layoutOptions(st.layout, els.nodes().length, st.seeds)).run();
  }

  // load draws the view the state describes, from one request to the export endpoint
  // (two with expanded entities). focus is the entity just expanded: the others keep
  // their places and its new neighbours are laid out around it.
  async function load(focus = "") {
    const seq = ++loadSeq;
    if (st.seeds.length === 0) {
      details.replaceChildren(h("p", null, "Add an entity with the box on the left to start."));
      live.textContent = "The graph is empty.";
      return;
    }
    live.textContent = "Loading…";
    try {
      const [view, more] = await Promise.all([
        fetchSub(st.seeds, st.depth + st.grow, st.max),
        st.expanded.length ? fetchSub(st.expanded, 1, Math.min(500, st.max)) : null,
      ]);
      if (seq !== loadSeq) return;
      performance.mark("graph-fetched");
      const nodes = new Map(view.nodes.map((n) => [n.id, n] as const));
      let left = 0; // expanded neighbours left out, past the view's size
      for (const n of more?.nodes ?? []) {
        if (nodes.size < st.max || nodes.has(n.id)) nodes.set(n.id, n);
        else left++;
      }
      const edges = new Map<string, Relation>();
      for (const e of [...view.edges, ...(more?.edges ?? [])]) if (nodes.has(e.from.id) && nodes.has(e.to.id)) edges.set(e.id, e);
      const notes: string[] = [];
      const steps = Math.min(MAX_DEPTH, st.depth + st.grow);
      if (view.cut) notes.push(`This view reaches more than ${st.max.toLocaleString("en")} entities, so it was cut: it shows the ${view.cut.toLocaleString("en")} nearest to ${seedNames(view.nodes)}, not everything ${steps === 1 ? "one step" : `${steps} steps`} away. Show fewer steps to see a whole view.`);
      if (more?.cut || left) notes.push(`Expanded entities have more neighbours than are shown (at most ${Math.min(500, st.max)} each, ${st.max.toLocaleString("en")} in all).`);
      cutNote.textContent = notes.join(" ");
      cutNote.hidden = notes.length === 0;
      draw([...nodes.values()], [...edges.values()], focus);
    } catch (e) {
      if (seq !== loadSeq) return;
      live.textContent = "";
      details.replaceChildren(status((e as Error).message, "error"));
    }
  }

  function seedNames(nodes: EntityRef[]) {
    const names = st.seeds.map((id) => nodes.find((n) => n.id === id)?.name ?? id);
    return names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  }

  function draw(nodes: EntityRef[], edges: Relation[], focus = "") {
    const large = nodes.length > LARGE;
    const old = cy ? new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }] as const)) : null;
    cy?.destroy();
    cy = makeCy(canvas, large);
    (window as any).__cyberkgGraph = cy; // the browser tests pan it to measure frame rates
    cy.add(nodes.map(nodeElement));
    cy.add(edges.map(edgeElement));
    cy.nodes().filter((n) => st.seeds.includes(n.id())).addClass("seed");
    performance.mark("graph-added");
    markLabels();
    if (focus && old?.has(focus) && cy.getElementById(focus).nonempty()) {
      // An expansion: what was there stays put (pinned nodes too), the new neighbours
      // go around the expanded entity, and the view shows them.
      cy.nodes().forEach((n) => { const p = old.get(n.id()); if (p) n.position(p); });
      const center = cy.getElementById(focus);
      const added = cy.nodes().filter((n) => !old.has(n.id()));
      const order: Record<string, number> = { STATE: 0, THREAT_ACTOR: 1, SECTOR: 2, ORGANIZATION: 3, INCIDENT: 4 };
      placeAround(center.position(), added.toArray().sort((a, b) =>
        order[a.data("kind")] - order[b.data("kind")] || String(a.data("label")).localeCompare(String(b.data("label")))) as NodeSingular[]);
      applyFilters();
      if (added.nonempty() && cy.nodes().length <= LARGE) {
        // Then a force-directed pass moves the new ones, the others held where they are,
        // so that the rings do not fall on entities already drawn.
        const els = cy.elements().filter((e) => !e.hasClass("hidden") && !e.hasClass("filtered"));
        const fixed = els.nodes().filter((n) => old.has(n.id())).map((n) => ({ nodeId: n.id(), position: { ...(n as NodeSingular).position() } }));
        els.layout({ ...(layoutOptions("fcose", els.nodes().length, st.seeds) as any), randomize: false, fit: false, fixedNodeConstraint: fixed }).run();
      }
      const shown = center.union(added.nonempty() ? added : center.neighborhood().nodes()).filter((n) => !n.hasClass("hidden") && !n.hasClass("filtered"));
      cy.fit(shown, 40);
    } else {
      if (old) for (const [id, pos] of old) if (st.pinned.has(id)) cy.getElementById(id).position(pos);
      performance.mark("graph-labelled");
      applyFilters();
      performance.mark("graph-filtered");
      runLayout();
    }
    performance.mark("graph-laid-out");
    scaleLabels();
    cy.on("zoom", scaleLabels);
    cy.on("tap", "node", (e) => select(e.target.id()));
    cy.on("tap", "edge", (e) => selectEdge(e.target));
    cy.on("tap", (e) => { if (e.target === cy) { st.selected = ""; save(); showHelp(); } });
    if (st.selected && cy.getElementById(st.selected).nonempty()) select(st.selected);
    else showHelp();
    performance.mark("graph-drawn");
  }

  // markLabels keeps a big view legible: only the seeds, the expanded entities and the
  // most connected ones are labelled at any zoom ("major"); the others' labels appear
  // when zoomed in ("minor", see graphcore's style).
  function markLabels() {
    if (!cy || cy.nodes().length <= FEW) return;
    const keep = new Set([...st.seeds, ...st.expanded]);
    const degrees = cy.nodes().map((n) => [n.id(), n.degree(false)] as const).sort((a, b) => b[1] - a[1]);
    const hubs = new Set(degrees.slice(0, degrees.length > LARGE ? BIG_HUBS : HUBS).map(([id]) => id));
    cy.batch(() => cy!.nodes().forEach((n) => { n.addClass(keep.has(n.id()) || hubs.has(n.id()) ? "major" : "minor"); }));
  }

  // scaleLabels keeps the major labels readable as the view zooms out, down to a sixth.
  function scaleLabels() {
    if (!cy) return;
    const z = Math.min(1, Math.max(cy.zoom(), 1 / 6));
    cy.nodes(".major").style({ "font-size": 12 / z, "text-max-width": `${Math.round(150 / z)}px`, "text-margin-y": 3 / z });
  }

  function showHelp() {
    details.replaceChildren(h("p", { class: "muted" }, "Nothing selected. Click an entity or a line, or pick one from the list below."));
  }

  function select(id: string) {
    if (!cy) return;
    const n = cy.getElementById(id);
    if (n.empty()) return;
    cy.elements().unselect();
    n.select();
    st.selected = id;
    save();
    if (picker.value !== id) picker.value = id;
    const kind = n.data("kind") as Kind;
    const pinned = st.pinned.has(id);
    details.replaceChildren(
      h("h2", null, n.data("label")),
      h("p", { class: `kind k-${kind}` }, kindName(kind), n.data("date") ? ` · ${dateWords(n.data("date"))}` : ""),
      h("p", null, h("a", { href: entityHref(id) }, "Open its page")),
      h("div", { class: "buttons" },
        h("button", { type: "button", id: "btn-expand", onclick: () => { if (!st.expanded.includes(id)) st.expanded.push(id); save(); load(id); } }, "Expand its neighbours"),
        h("button", { type: "button", id: "btn-hide", onclick: () => { st.hidden.add(id); st.selected = ""; save(); applyFilters(); showHelp(); } }, "Hide it"),
        h("button", { type: "button", id: "btn-pin", "aria-pressed": String(pinned), onclick: () => { pinned ? st.pinned.delete(id) : st.pinned.add(id); save(); applyFilters(); select(id); } }, pinned ? "Unpin it" : "Pin it in place"),
        h("a", { class: "button", href: `/connect?from=${encodeURIComponent(id)}` }, "Connect it to…")));
  }

  async function selectEdge(e: any) {
    const type = e.data("type");
    const from = cy!.getElementById(e.data("source")).data("label");
    const to = cy!.getElementById(e.data("target")).data("label");
    const box = h("div", null, h("p", null, "Loading the sources…"));
    details.replaceChildren(h("h2", null, `${from} ${relationVerb[type] ?? type} ${to}`), badge(e.data("certainty")), box);
    try {
      const d = await gql<{ paths: { edges: (Relation & { evidence: Evidence[] })[] }[] }>(
        `query Link($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 1) { edges { id evidence { ...Ev } } } } ${EV}`,
        { a: e.data("source"), b: e.data("target") });
      const rel = d.paths.flatMap((p) => p.edges).find((r) => r.id === e.id());
      box.replaceChildren(claims(rel?.evidence, type));
    } catch (err) {
      box.replaceChildren(status((err as Error).message, "error"));
    }
  }

  picker.addEventListener("change", () => {
    select(picker.value);
    const n = cy?.getElementById(picker.value);
    if (n && n.nonempty()) cy!.animate({ center: { eles: n }, duration: 200 });
  });

  canvas.addEventListener("keydown", (e) => {
    if (!cy) return;
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) { e.preventDefault(); cy.panBy({ x: moves[e.key][0], y: moves[e.key][1] }); }
    else if (e.key === "+" || e.key === "=") { e.preventDefault(); cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 } }); }
    else if (e.key === "-") { e.preventDefault(); cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 } }); }
  });

  async function exportImage(kind: "png" | "svg") {
    if (!cy) return;
    if (kind === "png") {
      download(await cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff" }), "cyberkg-graph.png");
    } else {
      download(new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }), "cyberkg-graph.svg");
    }
    exportMsg.textContent = `Saved the ${kind.toUpperCase()}.`;
  }

  // exportData asks the server's export endpoint for what is on screen: the entities
  // shown by ID, or, for a large view, the seed and depth it came from.
  async function exportData() {
    if (!cy) return;
    const p = new URLSearchParams({ format: formatSel.value });
    const vis = visibleNodes();
    if (vis.length <= 200) vis.forEach((n) => p.append("id", n.id()));
    else {
      // the export contract names the seed by its name
      p.set("seed", cy.getElementById(st.seeds[0]).data("label") ?? st.seeds[0]);
      p.set("depth", String(st.depth));
      if (st.kinds.size !== KINDS.length) st.kinds.forEach((k) => p.append("kind", k));
    }
    if (st.from) p.set("from", String(st.from));
    if (st.to) p.set("to", String(st.to));
    exportMsg.textContent = "Preparing the file…";
    try {
      const res = await fetch("/export?" + p.toString());
      if (!res.ok) {
        let msg = `The server answered ${res.status}.`;
        try { const j = await res.json(); if (j.error) msg = String(j.error); } catch { /* not JSON */ }
        exportMsg.textContent = `Could not export: ${msg}`;
        return;
      }
      const cd = res.headers.get("Content-Disposition") ?? "";
      const name = /filename="?([^";]+)"?/.exec(cd)?.[1] ?? `cyberkg-export.${formatSel.value}`;
      download(await res.blob(), name.replace(/[/\\]/g, "_"));
      exportMsg.textContent = `Saved ${name}.`;
    } catch (e) {
      exportMsg.textContent = `Could not export: ${(e as Error).message}`;
    }
  }

  // legend colours come from the same table as the canvas
  kindBoxes.forEach((l) => {
    const sw = l.querySelector<HTMLElement>(".swatch");
    if (sw) sw.style.backgroundColor = kindColor[sw.dataset.kind as Kind];
  });

  await load();
  return () => { loadSeq++; cy?.destroy(); cy = null; delete (window as any).__cyberkgGraph; };
}
