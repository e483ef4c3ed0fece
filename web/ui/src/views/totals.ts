// The incidents behind one figure of the charts, so that a reader can check it.
import { gql } from "../api";
import { h, status } from "../dom";
import { entityHref } from "../router";
import { dateWords, usd } from "../words";

interface Inc { id: string; name: string; date: string | null; stolenUSD: number | null }
interface Total { key: string; label: string; usd: number; count: number; incidents: { totalCount: number; nodes: Inc[] } }

export async function totalsView(main: HTMLElement, params: URLSearchParams) {
  const group = params.get("group") ?? "";
  const key = params.get("key") ?? "";
  const from = Number(params.get("from")) || null;
  const to = Number(params.get("to")) || null;
  const asserted = params.get("certainty") === "asserted";
  if (!["STATE", "ACTOR", "YEAR", "SECTOR"].includes(group) || !key) {
    main.replaceChildren(h("h1", { tabindex: "-1" }, "Which figure?"), h("p", null, "This address does not name a figure. Start from the charts."), h("a", { href: "/charts" }, "Charts"));
    return;
  }
  main.replaceChildren(status("Loading…"));
  const d = await gql<{ stolenTotals: Total[] }>(`query Behind($g: TotalsGroup!, $from: Int, $to: Int, $c: Certainty) {
    stolenTotals(groupBy: $g, from: $from, to: $to, certainty: $c) { key label usd count incidents(first: 100) { totalCount nodes { id name date stolenUSD } } }
  }`, { g: group, from, to, c: asserted ? "ASSERTED" : null });
  const t = d.stolenTotals.find((x) => x.key === key);
  const when = from && to ? (from === to ? ` in ${from}` : ` from ${from} to ${to}`) : "";
  if (!t) {
    main.replaceChildren(h("h1", { tabindex: "-1" }, "No amount recorded"), h("p", null, `Nothing stolen is recorded for this${when}.`));
    return;
  }
  document.title = `${t.label}: ${usd(t.usd)} · cyberkg explorer`;
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "/charts" + (asserted ? "?certainty=asserted" : "") }, "← Charts")),
    h("h1", { tabindex: "-1" }, `${t.label}: ${usd(t.usd)} stolen${when}`),
    h("p", null, `The sum of ${t.count} incident${t.count > 1 ? "s" : ""}${asserted ? " attributed by sources stating it as fact" : ", suspected attributions included"}. Each is listed with its amount; open one to see who attributes it and on what evidence.`),
    group === "STATE" || group === "ACTOR" ? h("p", null, h("a", { href: entityHref(t.key) }, `About ${t.label}`)) : "",
    h("table", { class: "incidents" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Incident"), h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "Stolen"))),
      h("tbody", null, t.incidents.nodes.map((i) => h("tr", null,
        h("td", null, h("a", { href: entityHref(i.id) }, i.name)), h("td", null, dateWords(i.date)), h("td", null, usd(i.stolenUSD)))))),
    t.incidents.totalCount > t.incidents.nodes.length ? h("p", { class: "muted" }, `The first ${t.incidents.nodes.length} of ${t.incidents.totalCount}.`) : "");
}
