// Charts of the money stolen: per year by state, and the groups with the largest
// totals. Each bar links to the incidents behind its figure (/totals).
import { gql } from "../api";
import { h, s, status } from "../dom";
import { entityHref } from "../router";
import { shortUSD, usd } from "../words";

interface Total { key: string; label: string; usd: number; count: number }

const PALETTE = ["#9b1c1c", "#1d4ed8", "#047857", "#b45309", "#5b21b6", "#0e7490", "#6b7280"];
const FIRST = 2010;

export async function chartsView(main: HTMLElement, params: URLSearchParams) {
  document.title = "Charts · cyberkg explorer";
  const asserted = params.get("certainty") === "asserted";
  const year = new Date().getFullYear();
  const years: number[] = [];
  for (let y = FIRST; y <= year; y++) years.push(y);
  main.replaceChildren(h("h1", { tabindex: "-1" }, "Money stolen"), status("Loading…"));
  const c = asserted ? "ASSERTED" : null;
  const q = `query Charts($c: Certainty) {
    ${years.map((y) => `y${y}: stolenTotals(groupBy: STATE, from: ${y}, to: ${y}, certainty: $c) { key label usd count }`).join("\n")}
    states: stolenTotals(groupBy: STATE, certainty: $c) { key label usd count }
    actors: stolenTotals(groupBy: ACTOR, certainty: $c) { key label usd count }
  }`;
  const d = await gql<Record<string, Total[]>>(q, { c });
  const cert = asserted ? "&certainty=asserted" : "";
  const top = d.states.slice(0, 6);
  const color = new Map(top.map((t, i) => [t.key, PALETTE[i]]));
  const other = PALETTE[6];
  const perYear = years.map((y) => ({ y, totals: d[`y${y}`] ?? [] })).filter((r) => r.totals.length > 0);

  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "Money stolen"),
    h("p", null, "Only amounts the reporting stated in US dollars count; nothing is converted. ",
      asserted ? h("a", { href: "/charts" }, "Include incidents that are only suspected")
        : [h("strong", null, "Suspected attributions are included. "), h("a", { href: "/charts?certainty=asserted" }, "Count only attributions stated as fact")]),
    h("section", { "aria-labelledby": "chart-years" },
      h("h2", { id: "chart-years" }, "Stolen per year, by country held responsible"),
      perYear.length ? yearChart(perYear, color, other, cert) : h("p", null, "No amounts are recorded."),
      legend(top, color, other),
      yearTable(perYear, cert)),
    h("section", { "aria-labelledby": "chart-actors" },
      h("h2", { id: "chart-actors" }, "Hacking groups with the largest totals"),
      barList(d.actors.slice(0, 15), (t) => `/totals?group=ACTOR&key=${encodeURIComponent(t.key)}${cert}`, (t) => entityHref(t.key))),
    h("section", { "aria-labelledby": "chart-states" },
      h("h2", { id: "chart-states" }, "Countries with the largest totals"),
      barList(d.states.slice(0, 10), (t) => `/totals?group=STATE&key=${encodeURIComponent(t.key)}${cert}`, (t) => entityHref(t.key))));
}

function yearChart(rows: { y: number; totals: Total[] }[], color: Map<string, string>, other: string, cert: string): SVGElement {
  const W = 760, H = 300, left = 56, bottom = 28, top = 10;
  const max = Math.max(...rows.map((r) => r.totals.reduce((a, t) => a + t.usd, 0)), 1);
  const bw = Math.min(40, (W - left - 10) / rows.length - 6);
  const scale = (v: number) => (v / max) * (H - top - bottom);
  const g: SVGElement[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4, y = H - bottom - scale(v);
    g.push(s("line", { x1: left, x2: W, y1: y, y2: y, class: "gridline" }));
    g.push(s("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, shortUSD(v)));
  }
  rows.forEach((r, i) => {
    const x = left + 6 + i * ((W - left - 10) / rows.length);
    let y = H - bottom;
    for (const t of r.totals) {
      const hgt = scale(t.usd);
      if (hgt < 0.5) continue;
      y -= hgt;
      const a = s("a", { href: `/totals?group=STATE&key=${encodeURIComponent(t.key)}&from=${r.y}&to=${r.y}${cert}`, class: "bar-link" },
        s("title", null, `${t.label}, ${r.y}: ${usd(t.usd)} in ${t.count} incident${t.count > 1 ? "s" : ""}`),
        s("rect", { x, y, width: bw, height: hgt, fill: color.get(t.key) ?? other }));
      g.push(a);
    }
    g.push(s("text", { x: x + bw / 2, y: H - bottom + 16, "text-anchor": "middle", class: "axis" }, String(r.y)));
  });
  return s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "group", "aria-label": "Stacked bars of money stolen per year, by country" }, g);
}

function legend(top: Total[], color: Map<string, string>, other: string): HTMLElement {
  const item = (label: string, c: string) => {
    const sw = h("span", { class: "swatch" });
    sw.style.backgroundColor = c;
    return h("li", null, sw, label);
  };
  return h("ul", { class: "legend", "aria-label": "Colours" }, top.map((t) => item(t.label, color.get(t.key)!)), item("Other countries", other));
}

function yearTable(rows: { y: number; totals: Total[] }[], cert: string): HTMLElement {
  return h("details", { class: "more" }, h("summary", null, "The figures as a table"),
    h("table", null, h("thead", null, h("tr", null, h("th", { scope: "col" }, "Year"), h("th", { scope: "col" }, "Country"), h("th", { scope: "col" }, "Stolen"), h("th", { scope: "col" }, "Incidents"))),
      h("tbody", null, rows.flatMap((r) => r.totals.map((t) => h("tr", null, h("td", null, String(r.y)), h("td", null, t.label),
        h("td", null, h("a", { href: `/totals?group=STATE&key=${encodeURIComponent(t.key)}&from=${r.y}&to=${r.y}${cert}` }, usd(t.usd))), h("td", null, String(t.count))))))));
}

function barList(totals: Total[], href: (t: Total) => string, page: (t: Total) => string): HTMLElement {
  if (!totals.length) return h("p", null, "No amounts are recorded.");
  const max = totals[0].usd || 1;
  return h("ol", { class: "barlist" }, totals.map((t) => {
    const bar = h("span", { class: "bar" });
    bar.style.width = `${Math.max(1, (t.usd / max) * 100)}%`;
    return h("li", null,
      h("a", { href: page(t), class: "bl-name" }, t.label),
      h("span", { class: "bl-track" }, bar),
      h("a", { href: href(t), class: "bl-value", "aria-label": `${usd(t.usd)} in ${t.count} incidents: see them` }, `${usd(t.usd)} · ${t.count} incident${t.count > 1 ? "s" : ""}`));
  }));
}
