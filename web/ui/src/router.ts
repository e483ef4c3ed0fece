// Routes are paths, so every view has an address that restores it: /entity/<id>,
// /graph?seed=..., /connect?from=..&to=.., /timeline/<id>, /charts, /totals?..,
// /search?q=... The server answers index.html for all of them.

export type Cleanup = (() => void) | void;
export type View = (main: HTMLElement, params: URLSearchParams, arg: string) => Cleanup | Promise<Cleanup>;

let onRoute: () => void = () => {};

export function startRouter(render: () => void) {
  onRoute = render;
  window.addEventListener("popstate", () => onRoute());
  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element).closest?.("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const href = a.getAttribute("href");
    if (!href || !href.startsWith("/") || href.startsWith("//")) return;
    if (href.startsWith("/graphql") || href.startsWith("/export")) return;
    e.preventDefault();
    navigate(href);
  });
  onRoute();
}

export function navigate(href: string) {
  if (href !== location.pathname + location.search) history.pushState(null, "", href);
  onRoute();
}

// replaceQuery records a view's state in its address without reloading it.
export function replaceQuery(params: URLSearchParams) {
  const q = params.toString();
  history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
}

export function entityHref(id: string): string {
  return "/entity/" + encodeURIComponent(id);
}
