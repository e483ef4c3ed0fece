// The timeline of incidents attributed to a state or a threat actor, oldest first.
import { gql, type Certainty, type EntityRef, type Relation } from "../api";
import { h, s, status } from "../dom";
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
  const from = /^\d{4}$/.test(params.get("from") ?? "") ? params.get("from") : null;
  const to = /^\d{4}$/.test(params.get("to") ?? "") ? params.get("to") : null;
  document.title = `Timeline of ${n.name} · cyberkg explorer`;
  const list = h("div", { class: "timeline" });
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const count = h("p", { role: "status" });
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: entityHref(n.id) }, `← ${n.name}`)),
    h("h1", { tabindex: "-1", id: "timeline-heading" }, `Timeline: incidents attributed to ${n.name}`),
    yearsChart(n, asserted, from),
    from ? h("p", null, `Only ${from}${to && to !== from ? ` to ${to}` : ""}. `, h("a", { href: `/timeline/${encodeURIComponent(n.id)}${asserted ? "?certainty=asserted" : ""}` }, "Show every year")) : "",
    h("p", null, asserted
      ? h("a", { href: `/timeline/${encodeURIComponent(n.id)}` }, "Include incidents that are only suspected")
      : h("a", { href: `/timeline/${encodeURIComponent(n.id)}?certainty=asserted` }, "Show only incidents stated as fact")),
    count, list, more);
  let after: string | null = null;
  let lastYear = "";
  let yearList: HTMLElement | null = null;
  const q = `query TL($s: String, $a: ID, $c: Certainty, $after: String, $from: String, $to: String) {
    timeline(state: $s, actor: $a, certainty: $c, from: $from, to: $to, first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor certainty node { id name kind date stolenUSD } path { id type from { id name kind } to { id name kind } } }
    } }`;
  const page = async () => {
    more.disabled = true;
    try {
      const d = await gql<{ timeline: Page }>(q, {
        s: n.kind === "STATE" ? n.id : null, a: n.kind === "THREAT_ACTOR" ? n.id : null, c: asserted ? "ASSERTED" : null, after, from, to: to ?? from });
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
          h("span", null, h("a", { href: entityHref(e.node.id) }, e.node.name), " ", badge(e.certainty),
            h("span", { class: "tl-facts" }, `${e.node.stolenUSD != null ? ` · ${usd(e.node.stolenUSD)} stolen` : ""}${via}`))));
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

const FIRST = 2010;

// yearsChart is a bar per year of how many incidents are attributed, each bar leading
// to that year's part of the timeline.
function yearsChart(n: EntityRef, asserted: boolean, current: string | null): HTMLElement {
  const box = h("figure", { class: "years-chart" }, h("figcaption", null, "Incidents per year (choose a year to see only it)"));
  const years: number[] = [];
  for (let y = FIRST; y <= new Date().getFullYear(); y++) years.push(y);
  const q = `query Years($s: String, $a: ID, $c: Certainty) {
    ${years.map((y) => `y${y}: timeline(state: $s, actor: $a, certainty: $c, from: "${y}", to: "${y}", first: 0) { totalCount }`).join("\n")}
  }`;
  gql<Record<string, { totalCount: number }>>(q, { s: n.kind === "STATE" ? n.id : null, a: n.kind === "THREAT_ACTOR" ? n.id : null, c: asserted ? "ASSERTED" : null })
    .then((d) => {
      const counts = years.map((y) => ({ y, c: d[`y${y}`]?.totalCount ?? 0 }));
      const max = Math.max(1, ...counts.map((x) => x.c));
      const W = 760, H = 120, bw = W / counts.length;
      const cert = asserted ? "&certainty=asserted" : "";
      box.appendChild(s("svg", { viewBox: `0 0 ${W} ${H + 20}`, class: "chart", role: "group", "aria-label": "Incidents per year" },
        counts.map(({ y, c }, i) => {
          const hgt = (c / max) * H;
          return s("a", { href: `/timeline/${encodeURIComponent(n.id)}?from=${y}&to=${y}${cert}`, class: "bar-link", "aria-label": `${y}: ${c} incident${c === 1 ? "" : "s"}` },
            s("title", null, `${y}: ${c} incident${c === 1 ? "" : "s"}`),
            s("rect", { x: i * bw + 3, y: H - hgt, width: bw - 6, height: Math.max(hgt, 0.5), fill: String(y) === current ? "#b45309" : "#1d4ed8" }),
            s("rect", { x: i * bw, y: 0, width: bw, height: H, fill: "transparent" }),
            s("text", { x: i * bw + bw / 2, y: H + 14, "text-anchor": "middle", class: "axis" }, `'${String(y).slice(2)}`));
        })));
    })
    .catch(() => box.appendChild(h("p", { class: "muted" }, "The counts per year could not be read.")));
  return box;
}
