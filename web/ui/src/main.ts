import "./style.css";
import { ApiError } from "./api";
import { h, status } from "./dom";
import { entityHref, navigate, startRouter, type Cleanup, type View } from "./router";
import { searchBox } from "./search";
import { chartsView } from "./views/charts";
import { connectView } from "./views/connect";
import { entityView } from "./views/entity";
import { graphView } from "./views/graph";
import { homeView, searchView } from "./views/home";
import { timelineView } from "./views/timeline";
import { totalsView } from "./views/totals";

const main = document.getElementById("main")!;
const top = document.getElementById("topsearch")!;
top.appendChild(searchBox({
  label: "Search", hideLabel: true, placeholder: "Search names and aliases…",
  onPick: (hit) => navigate(entityHref(hit.id)),
  onSubmit: (q) => navigate(`/search?q=${encodeURIComponent(q)}`),
}).el);

const routes: [RegExp, View][] = [
  [/^\/$/, homeView],
  [/^\/search$/, searchView],
  [/^\/entity\/(.+)$/, entityView],
  [/^\/graph$/, graphView],
  [/^\/connect$/, connectView],
  [/^\/timeline\/(.+)$/, timelineView],
  [/^\/charts$/, chartsView],
  [/^\/totals$/, totalsView],
];

let cleanup: Cleanup;
let seq = 0;
let first = true;

async function render() {
  const my = ++seq;
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  main.replaceChildren();
  main.className = location.pathname === "/graph" ? "wide" : "";
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  const found = routes.map(([re, v]) => [re.exec(path), v] as const).find(([m]) => m);
  document.querySelectorAll<HTMLAnchorElement>("header nav a").forEach((a) => {
    if (a.pathname === path) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  try {
    if (!found) {
      main.replaceChildren(h("h1", { tabindex: "-1" }, "Page not found"), h("p", null, h("a", { href: "/" }, "Start from the search")));
    } else {
      const [m, view] = found;
      const c = await view(main, params, m![1] ? decodeURIComponent(m![1]) : "");
      if (my !== seq) { if (typeof c === "function") c(); return; }
      cleanup = c;
    }
  } catch (e) {
    if (my !== seq) return;
    const msg = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    main.replaceChildren(h("h1", { tabindex: "-1" }, "Something went wrong"), status(msg, "error"));
  }
  // Move focus to the new view's heading so keyboard and screen-reader users land on it.
  if (!first) main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: false });
  first = false;
}

startRouter(render);
