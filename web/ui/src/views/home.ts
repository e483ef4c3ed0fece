// The front page and the search results page.
import { gql } from "../api";
import { h, status } from "../dom";
import { entityHref, navigate } from "../router";
import { matchedAlias, searchBox, searchEntities } from "../search";
import { kindName, usd } from "../words";

export async function homeView(main: HTMLElement) {
  document.title = "cyberkg explorer";
  const box = searchBox({
    label: "Search the graph", placeholder: "Lazarus, North Korea, Bybit…",
    onPick: (hit) => navigate(entityHref(hit.id)),
    onSubmit: (q) => navigate(`/search?q=${encodeURIComponent(q)}`),
  });
  const start = h("div", null, status("Loading…"));
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "Who stole what, from whom, for which state, and who says so"),
    h("p", { class: "lead" }, "Search for a hacking group, a country, an incident or a company. Every link comes with the sources that report it, who made the claim and how firmly."),
    h("div", { class: "bigsearch" }, box.el),
    start);
  box.input.focus();
  try {
    const d = await gql<{ actors: { key: string; label: string; usd: number }[]; states: { key: string; label: string; usd: number }[] }>(
      `{ actors: stolenTotals(groupBy: ACTOR) { key label usd } states: stolenTotals(groupBy: STATE) { key label usd } }`);
    const item = (t: { key: string; label: string; usd: number }) => h("li", null, h("a", { href: entityHref(t.key) }, t.label), ` · ${usd(t.usd)} in thefts attributed to it`);
    start.replaceChildren(
      h("div", { class: "columns" },
        h("section", null, h("h2", null, "Groups accused of the largest thefts"), h("ul", null, d.actors.slice(0, 6).map(item))),
        h("section", null, h("h2", null, "Countries held responsible"), h("ul", null, d.states.slice(0, 6).map(item)))),
      h("p", { class: "muted" }, "These sums include thefts that are only suspected; each page tells them apart."),
      h("p", null, h("a", { href: "/charts" }, "See the charts of money stolen")));
  } catch (e) {
    start.replaceChildren(status((e as Error).message, "error"));
  }
}

export async function searchView(main: HTMLElement, params: URLSearchParams) {
  const q = params.get("q") ?? "";
  document.title = `${q} · search · cyberkg explorer`;
  const box = searchBox({ label: "Search the graph", value: q, onPick: (hit) => navigate(entityHref(hit.id)), onSubmit: (nq) => navigate(`/search?q=${encodeURIComponent(nq)}`) });
  const out = h("div", { "aria-live": "polite" });
  main.replaceChildren(h("h1", { tabindex: "-1" }, q ? `Results for “${q}”` : "Search"), h("div", { class: "bigsearch" }, box.el), out);
  if (!q) return;
  const { total, hits } = await searchEntities(q, 50);
  if (hits.length === 0) { out.replaceChildren(h("p", null, "Nothing matches. Check the spelling, or try another name the group goes by.")); return; }
  out.replaceChildren(h("p", { role: "status" }, `${total} match${total > 1 ? "es" : ""}.`),
    h("ol", { class: "results" }, hits.map((hit) => {
      const alias = matchedAlias(hit, q);
      return h("li", null, h("a", { href: entityHref(hit.id) }, hit.name), " ", h("span", { class: `s-kind k-${hit.kind}` }, kindName(hit.kind, hit.actorKind)),
        alias ? h("span", { class: "s-alias" }, ` also known as ${alias}`) : null);
    })));
}
