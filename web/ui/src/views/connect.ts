// "How are these connected?": pick two entities, see the shortest chains of relations
// between them, each link with its sources.
import { EV, gql, type EntityRef, type Evidence, type Relation } from "../api";
import { h, status } from "../dom";
import { badge, claims } from "../evidence";
import { edgeElement, makeCy, nodeElement } from "../graphcore";
import { entityHref, navigate } from "../router";
import { searchBox } from "../search";
import { relationVerb } from "../words";

interface Path { length: number; nodes: EntityRef[]; edges: (Relation & { evidence: Evidence[] })[] }

export async function connectView(main: HTMLElement, params: URLSearchParams) {
  document.title = "How are these connected? · cyberkg explorer";
  let from = params.get("from") ?? "";
  let to = params.get("to") ?? "";
  const hops = Math.min(6, Math.max(1, Number(params.get("hops")) || 4));
  const go = () => {
    if (from && to) navigate(`/connect?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&hops=${hopsSel.value}`);
  };
  const a = searchBox({ label: "First entity", onPick: (hit) => { from = hit.id; go(); } });
  const b = searchBox({ label: "Second entity", onPick: (hit) => { to = hit.id; go(); } });
  const hopsSel = h("select", { id: "c-hops" }, [2, 3, 4, 5, 6].map((n) => h("option", { value: String(n), selected: n === hops }, `at most ${n} steps`)));
  hopsSel.addEventListener("change", go);
  const results = h("div", { class: "paths", "aria-live": "polite" });
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "How are these connected?"),
    h("p", null, "Pick two entities: a group and a country, an incident and a company. You will see the shortest chains of reported links between them."),
    h("form", { class: "connect", onsubmit: (e: Event) => { e.preventDefault(); go(); } }, a.el, b.el,
      h("div", { class: "field" }, h("label", { for: "c-hops" }, "How far"), hopsSel)),
    results);
  if (!from || !to) {
    if (from) await fillName(from, a.set);
    return;
  }
  results.replaceChildren(status("Looking for connections…"));
  try {
    const d = await gql<{ a: EntityRef | null; b: EntityRef | null; paths: Path[] }>(
      `query Connect($from: ID!, $to: ID!, $hops: Int) {
        a: node(id: $from) { ... on Entity { id name kind } }
        b: node(id: $to) { ... on Entity { id name kind } }
        paths(from: $from, to: $to, maxHops: $hops) { length nodes { id name kind } edges { id type certainty from { id name kind } to { id name kind } evidence { ...Ev } } }
      } ${EV}`, { from, to, hops });
    if (d.a) a.set(d.a.name);
    if (d.b) b.set(d.b.name);
    if (!d.a || !d.b) { results.replaceChildren(status("One of the two is not in the graph.", "error")); return; }
    if (d.paths.length === 0) {
      results.replaceChildren(h("p", { class: "status" }, `No connection of at most ${hops} steps between ${d.a.name} and ${d.b.name}.`));
      return;
    }
    const n = d.paths.length, len = d.paths[0].length;
    const pic = h("div", { class: "picture", role: "img", "aria-label": `The ${n} connections drawn as a graph` });
    results.replaceChildren(
      h("h2", { id: "paths-heading" }, `${n} shortest connection${n > 1 ? "s" : ""}, ${len} step${len > 1 ? "s" : ""} each`),
      h("ol", { class: "pathlist" }, d.paths.map((p, i) => pathItem(p, i))),
      h("h2", null, "As a picture"), pic);
    const cy = makeCy(pic, false, { maxZoom: 1.5 });
    const nodes = new Map<string, EntityRef>(), edges = new Map<string, Relation>();
    for (const p of d.paths) { p.nodes.forEach((x) => nodes.set(x.id, x)); p.edges.forEach((e) => edges.set(e.id, e)); }
    cy.add([...nodes.values()].map(nodeElement));
    cy.add([...edges.values()].map(edgeElement));
    cy.getElementById(from).addClass("seed");
    cy.getElementById(to).addClass("seed");
    cy.layout({ name: "breadthfirst", roots: [`[id = ${JSON.stringify(from)}]`], animate: false, padding: 20, directed: false } as any).run();
    return () => cy.destroy();
  } catch (e) {
    results.replaceChildren(status((e as Error).message, "error"));
  }
}

async function fillName(id: string, set: (n: string) => void) {
  try {
    const d = await gql<{ node: { name?: string } | null }>(`query N($id: ID!) { node(id: $id) { ... on Entity { name } } }`, { id });
    if (d.node?.name) set(d.node.name);
  } catch { /* the box stays empty */ }
}

function pathItem(p: Path, i: number): HTMLElement {
  const steps: HTMLElement[] = [];
  p.edges.forEach((e, j) => {
    const here = p.nodes[j], there = p.nodes[j + 1];
    const forward = e.from.id === here.id;
    const verb = relationVerb[e.type] ?? e.type;
    steps.push(h("li", { class: "step" },
      h("p", null, h("a", { href: entityHref(here.id) }, here.name), " ",
        h("span", { class: "verb" }, forward ? verb : `← ${verb} ←`), " ",
        h("a", { href: entityHref(there.id) }, there.name), " ", badge(e.certainty)),
      h("details", { class: "more" }, h("summary", null, `Sources (${e.evidence.length})`), claims(e.evidence, e.type, 5))));
  });
  return h("li", { class: "path" }, h("h3", null, `Connection ${i + 1}`), h("ol", { class: "steps" }, steps));
}
