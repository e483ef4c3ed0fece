// The timeline of incidents attributed to a state or a threat actor, oldest first.
import { gql, type Certainty, type EntityRef, type Relation } from "../api";
import { h, status } from "../dom";
import { badge } from "../evidence";
import { entityHref } from "../router";
import { dateWords, usd } from "../words";

interface Edge { cursor: string; certainty: Certainty | null; node: EntityRef & { stolenUSD: number | null }; path: Relation[] }
interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[] }

export async function timelineView(main: HTMLElement, params: URLSearchParams, id: string) {
  const head = await gql<{ node: (EntityRef & { code?: string }) | null }>(
    `query T($id: ID!) { node(id: $id) { ... on Entity { id name kind } } }`, { id });
  const n = head.node;
  if (!n || (n.kind !== "STATE" && n.kind !== "THREAT_ACTOR")) {
    main.replaceChildren(h("h1", { tabindex: "-1" }, "No timeline"), h("p", null, "Timelines are drawn for countries and hacking groups."));
    return;
  }
  const asserted = params.get("certainty") === "asserted";
  document.title = `Timeline of ${n.name} · cyberkg explorer`;
  const list = h("div", { class: "timeline" });
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const count = h("p", { role: "status" });
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: entityHref(n.id) }, `← ${n.name}`)),
    h("h1", { tabindex: "-1", id: "timeline-heading" }, `Timeline: incidents attributed to ${n.name}`),
    h("p", null, asserted
      ? h("a", { href: `/timeline/${encodeURIComponent(n.id)}` }, "Include incidents that are only suspected")
      : h("a", { href: `/timeline/${encodeURIComponent(n.id)}?certainty=asserted` }, "Show only incidents stated as fact")),
    count, list, more);
  let after: string | null = null;
  let lastYear = "";
  let yearList: HTMLElement | null = null;
  const q = `query TL($s: String, $a: ID, $c: Certainty, $after: String) {
    timeline(state: $s, actor: $a, certainty: $c, first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor certainty node { id name kind date stolenUSD } path { id type from { id name kind } to { id name kind } } }
    } }`;
  const page = async () => {
    more.disabled = true;
    try {
      const d = await gql<{ timeline: Page }>(q, {
        s: n.kind === "STATE" ? n.id : null, a: n.kind === "THREAT_ACTOR" ? n.id : null, c: asserted ? "ASSERTED" : null, after });
      const t = d.timeline;
      count.textContent = `${t.totalCount} incident${t.totalCount === 1 ? "" : "s"} of known date.`;
      for (const e of t.edges) {
        const y = e.node.date?.slice(0, 4) ?? "";
        if (y !== lastYear) {
          lastYear = y;
          yearList = h("ol", { class: "year-items" });
          list.appendChild(h("section", { class: "year", "aria-label": y }, h("h2", null, y), yearList));
        }
        const via = e.path.length > 1 ? ` · through ${e.path[0].to.name}` : "";
        yearList!.appendChild(h("li", { class: "tl-item" },
          h("span", { class: "tl-date" }, dateWords(e.node.date)),
          h("a", { href: entityHref(e.node.id) }, e.node.name), " ", badge(e.certainty),
          h("span", { class: "tl-facts" }, `${e.node.stolenUSD != null ? ` · ${usd(e.node.stolenUSD)} stolen` : ""}${via}`)));
      }
      after = t.pageInfo.endCursor;
      more.hidden = !t.pageInfo.hasNextPage;
    } catch (e) {
      list.appendChild(status((e as Error).message, "error"));
    }
    more.disabled = false;
  };
  more.addEventListener("click", page);
  await page();
}
