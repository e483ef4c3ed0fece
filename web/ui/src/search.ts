// A search box with suggestions over names and aliases (Query.search is tolerant of
// case and small typos), as an ARIA combobox: arrow keys move through the
// suggestions, Enter opens one, Escape closes the list, and a live region says how
// many there are.
import { gql, type Kind } from "./api";
import { h, clear } from "./dom";
import { kindName } from "./words";

export interface Hit {
  id: string;
  name: string;
  kind: Kind;
  aliases: string[];
  actorKind?: string | null;
  match: string;
}

const QUERY = `query Suggest($q: String!, $n: Int) {
  search(query: $q, first: $n) {
    totalCount
    edges { match node { id name kind aliases ... on ThreatActor { actorKind } } }
  }
}`;

export async function searchEntities(q: string, n = 8, signal?: AbortSignal): Promise<{ total: number; hits: Hit[] }> {
  const d = await gql<{ search: { totalCount: number; edges: { match: string; node: Omit<Hit, "match"> }[] } }>(
    QUERY, { q, n }, signal);
  return { total: d.search.totalCount, hits: d.search.edges.map((e) => ({ ...e.node, match: e.match })) };
}

// matchedAlias is the alias the query matched, when it was not the name.
export function matchedAlias(hit: Hit, q: string): string | null {
  if (!hit.match.startsWith("ALIAS")) return null;
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const nq = norm(q);
  return hit.aliases.find((a) => norm(a).includes(nq)) ?? hit.aliases[0] ?? null;
}

let seq = 0;

export function searchBox(opts: {
  label: string;
  placeholder?: string;
  value?: string;
  onPick: (hit: Hit) => void;
  onSubmit?: (q: string) => void;
  hideLabel?: boolean;
}): { el: HTMLElement; input: HTMLInputElement; set: (name: string) => void } {
  const id = `search-${++seq}`;
  const listId = `${id}-list`;
  const input = h("input", {
    id, type: "search", role: "combobox", autocomplete: "off", spellcheck: "false",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
    placeholder: opts.placeholder ?? "A group, a country, an incident…",
  });
  if (opts.value) input.value = opts.value;
  const list = h("ul", { id: listId, role: "listbox", class: "suggestions", hidden: true, "aria-label": "Suggestions" });
  const live = h("p", { class: "visually-hidden", "aria-live": "polite", role: "status" });
  let hits: Hit[] = [];
  let active = -1;
  let timer = 0;
  let ctrl: AbortController | null = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const setActive = (i: number) => {
    active = i;
    list.querySelectorAll("li").forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", `${listId}-${i}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const pick = (hit: Hit) => {
    close();
    input.value = hit.name;
    opts.onPick(hit);
  };
  const show = (q: string) => {
    clear(list);
    hits.forEach((hit, i) => {
      const alias = matchedAlias(hit, q);
      const li = h("li", { id: `${listId}-${i}`, role: "option", "aria-selected": "false" },
        h("span", { class: "s-name" }, hit.name),
        h("span", { class: `s-kind k-${hit.kind}` }, kindName(hit.kind, hit.actorKind)),
        alias ? h("span", { class: "s-alias" }, `also known as ${alias}`) : null);
      li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(hit); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(hits.length > 0));
    live.textContent = hits.length === 0 ? "No suggestions" : `${hits.length} suggestion${hits.length > 1 ? "s" : ""}, use the arrow keys`;
    active = -1;
  };
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { hits = []; show(q); return; }
    timer = window.setTimeout(async () => {
      ctrl?.abort();
      ctrl = new AbortController();
      try {
        const found = (await searchEntities(q, 8, ctrl.signal)).hits;
        // An answer to what the box no longer holds is dropped whole: the keys
        // pick from the list on screen, never from a stale one.
        if (input.value.trim() === q) { hits = found; show(q); }
      } catch (e) {
        if ((e as Error).name !== "AbortError") { hits = []; show(q); live.textContent = (e as Error).message; }
      }
    }, 120);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && hits.length) { e.preventDefault(); list.hidden = false; input.setAttribute("aria-expanded", "true"); setActive((active + 1) % hits.length); }
    else if (e.key === "ArrowUp" && hits.length) { e.preventDefault(); setActive(active <= 0 ? hits.length - 1 : active - 1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0 && !list.hidden) pick(hits[active]);
      else if (opts.onSubmit && input.value.trim()) { close(); opts.onSubmit(input.value.trim()); }
      else if (hits.length) pick(hits[0]);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  const label = h("label", { for: id, class: opts.hideLabel ? "visually-hidden" : "" }, opts.label);
  const el = h("div", { class: "combo" }, label, input, list, live);
  return { el, input, set: (name: string) => { input.value = name; } };
}
