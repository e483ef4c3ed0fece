// How a claim is shown: the sentence as the source wrote it, who said it and how
// firmly, and a link to the reporting.
import type { Certainty, Evidence } from "./api";
import { h, outLink } from "./dom";
import { certaintyWords, claimWords, timeWords } from "./words";

export function badge(c: Certainty | null | undefined): HTMLElement {
  return h("span", { class: c === "HEDGED" ? "badge hedged" : "badge asserted" }, c === "HEDGED" ? "Suspected" : "Stated as fact");
}

export function claim(ev: Evidence, type?: string): HTMLElement {
  const when = timeWords(ev.reported);
  return h("li", { class: `claim ${ev.certainty === "HEDGED" ? "hedged" : "asserted"}` },
    h("p", { class: "who" }, h("strong", null, claimWords(ev, type)), when ? ` · ${when}` : ""),
    h("blockquote", null, ev.quote),
    h("p", { class: "src" }, "Source: ", outLink(ev.source.url, ev.source.title || ev.source.url),
      ev.source.publisher ? ` (${ev.source.publisher})` : ""));
}

// claims lists a relation's evidence, the first few open and the rest behind a
// disclosure.
export function claims(evs: Evidence[] | undefined, type?: string, open = 2): HTMLElement {
  const all = evs ?? [];
  if (all.length === 0) return h("p", { class: "muted" }, "No source is recorded for this.");
  const first = h("ul", { class: "claims" }, all.slice(0, open).map((e) => claim(e, type)));
  if (all.length <= open) return first;
  const more = h("details", { class: "more" },
    h("summary", null, `${all.length - open} more source${all.length - open > 1 ? "s" : ""}`),
    h("ul", { class: "claims" }, all.slice(open).map((e) => claim(e, type))));
  return h("div", null, first, more);
}

export function certaintyNote(c: Certainty | null | undefined): HTMLElement {
  return h("span", { class: "visually-hidden" }, certaintyWords(c));
}
