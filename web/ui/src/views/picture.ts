// A picture of an entity and its nearest neighbours, to download for a story.
import { gql, type EntityRef, type Relation } from "../api";
import { download, h } from "../dom";
import { edgeElement, makeCy, nodeElement, type Cy } from "../graphcore";

export const SUBGRAPH = `nodes { id name kind ... on Incident { date stolenUSD } ... on ThreatActor { actorKind } }
  edges { id type certainty from { id } to { id } }`;

export function picture(id: string, name: string): HTMLElement {
  const box = h("div", { class: "picture", role: "img", "aria-label": `A picture of ${name} and the entities nearest to it` });
  const note = h("p", { class: "muted" }, "Solid lines are stated as fact by a source; dashed lines are only suspected.");
  let cy: Cy | null = null;
  const btn = h("button", { type: "button", disabled: true, onclick: async () => {
    if (!cy) return;
    const blob = await cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff" });
    download(blob, `${name.replace(/[^\p{L}\p{N}]+/gu, "-")}.png`);
  } }, "Download this picture (PNG)");
  const sec = h("section", { class: "relations" }, h("h2", null, "Picture for a story"), box, note,
    h("p", { class: "actions" }, btn, h("a", { class: "button", href: `/graph?seed=${encodeURIComponent(id)}&depth=1` }, "Open in the graph view")));
  gql<{ neighborhood: { nodes: EntityRef[]; edges: Relation[] } | null }>(
    `query Pic($id: ID!) { neighborhood(id: $id, depth: 1, limit: 30) { ${SUBGRAPH} } }`, { id })
    .then((d) => {
      if (!d.neighborhood || !box.isConnected) return;
      cy = makeCy(box, false, { userZoomingEnabled: false, maxZoom: 1.5 });
      cy.add(d.neighborhood.nodes.map(nodeElement));
      const ids = new Set(d.neighborhood.nodes.map((n) => n.id));
      cy.add(d.neighborhood.edges.filter((e) => ids.has(e.from.id) && ids.has(e.to.id)).map(edgeElement));
      cy.getElementById(id).addClass("seed");
      cy.layout({ name: "concentric", animate: false, padding: 20, concentric: (n: any) => (n.id() === id ? 2 : 1), levelWidth: () => 1 } as any).run();
      btn.disabled = false;
    })
    .catch(() => box.replaceChildren(h("p", { class: "muted" }, "The picture could not be drawn.")));
  return sec;
}
