// The entity page: what a group, a country, an incident, an organization or a sector
// is, its key figures, and its relations grouped by kind, each with the sources that
// state it, who claimed it and how firmly.
import { EV, gql, type Certainty, type EntityRef, type Evidence, type Kind, type Relation } from "../api";
import { h, outLink, status } from "../dom";
import { badge, claims } from "../evidence";
import { entityHref } from "../router";
import { dateWords, kindName, usd } from "../words";
import { picture } from "./picture";

interface Rel {
  id: string;
  certainty: Certainty;
  evidence: Evidence[];
}
type WithEnd<K extends string> = Rel & { [P in K]: EntityRef };

interface IncidentEdge {
  certainty: Certainty | null;
  node: EntityRef & { incidentKind: string | null };
  path: (Relation & { evidence: Evidence[] })[];
}
interface Total { key: string; usd: number; count: number }

const INC = `totalCount edges { certainty node { id name kind date stolenUSD incidentKind }
  path { id type certainty from { id name kind } to { id name kind } evidence { ...Ev } } }`;

const QUERIES: Partial<Record<Kind, string>> = {
  THREAT_ACTOR: `query Actor($id: ID!) {
    node(id: $id) { ... on ThreatActor { id name aliases kind description actorKind externalIds { system id url }
      sponsors { id certainty state { id name kind } evidence { ...Ev } }
      partOf { id certainty group { id name kind } evidence { ...Ev } }
      subgroups { id certainty member { id name kind } evidence { ...Ev } }
      collaborators { id certainty partner { id name kind } evidence { ...Ev } }
      locations { id certainty state { id name kind } evidence { ...Ev } }
      accused: attributedIncidents(first: 25, orderBy: {field: USD, direction: DESC}) { ${INC} }
      firm: attributedIncidents(certainty: ASSERTED, first: 0) { totalCount }
      latest: attributedIncidents(orderBy: {field: DATE, direction: DESC}, first: 1) { nodes { date } }
    } }
    earliest: timeline(actor: $id, first: 1) { nodes { date } }
  } ${EV}`,
  STATE: `query State($id: ID!, $s: String) {
    node(id: $id) { ... on State { id name aliases kind description code
      sponsoredActors { id certainty actor { id name kind } evidence { ...Ev } }
      collaborators { id certainty partner { id name kind } evidence { ...Ev } }
      accused: attributedIncidents(first: 25, orderBy: {field: USD, direction: DESC}) { ${INC} }
      firm: attributedIncidents(certainty: ASSERTED, first: 0) { totalCount }
      latest: attributedIncidents(orderBy: {field: DATE, direction: DESC}, first: 1) { nodes { date } }
      targetedBy(first: 20) { totalCount nodes { id certainty incident { id name kind date } evidence { ...Ev } } }
    } }
    earliest: timeline(state: $s, first: 1) { nodes { date } }
  } ${EV}`,
  INCIDENT: `query Incident($id: ID!) {
    node(id: $id) { ... on Incident { id name aliases kind description incidentKind date stolenUSD
      evidence { ...Ev }
      stolen { id certainty amount { surface valueUSD } evidence { ...Ev } }
      attributions { id certainty attributedTo { id name kind } evidence { ...Ev } }
      targets { id certainty entity { id name kind } evidence { ...Ev } }
    } }
  } ${EV}`,
  ORGANIZATION: `query Organization($id: ID!) {
    node(id: $id) { ... on Organization { id name aliases kind description
      sectors { id certainty sector { id name kind } evidence { ...Ev } }
      locations { id certainty state { id name kind } evidence { ...Ev } }
      targetedBy(first: 40) { totalCount nodes { id certainty incident { id name kind date stolenUSD } evidence { ...Ev } } }
    } }
  } ${EV}`,
  SECTOR: `query Sector($id: ID!) {
    node(id: $id) { ... on Sector { id name aliases kind description
      organizations(first: 40) { totalCount nodes { id certainty organization { id name kind } evidence { ...Ev } } }
      targetedBy(first: 40) { totalCount nodes { id certainty incident { id name kind date stolenUSD } evidence { ...Ev } } }
    } }
    all: incidents(filter: {sector: $id}, first: 0) { totalCount }
  } ${EV}`,
};

// An ID tells its kind ("actor:lazarus-group"), so the page asks for it in one request.
const prefixes: Record<string, Kind> = { state: "STATE", actor: "THREAT_ACTOR", incident: "INCIDENT", org: "ORGANIZATION", sector: "SECTOR" };

const TOTALS = `query Totals($g: TotalsGroup!) {
  totals: stolenTotals(groupBy: $g) { key usd count }
  firmTotals: stolenTotals(groupBy: $g, certainty: ASSERTED) { key usd count }
}`;

export async function entityView(main: HTMLElement, _p: URLSearchParams, id: string) {
  main.appendChild(status("Loading…"));
  const kind = prefixes[id.split(":")[0]];
  const d = kind ? await gql<any>(QUERIES[kind]!, kind === "STATE" ? { id, s: id } : { id }) : { node: null };
  const n = d.node;
  // The sums of money come from totals over every group, the slowest question: asked
  // once the page is there, they fill their figure when they come.
  const totals = n?.name && (kind === "THREAT_ACTOR" || kind === "STATE")
    ? gql<{ totals: Total[]; firmTotals: Total[] }>(TOTALS, { g: kind === "STATE" ? "STATE" : "ACTOR" }) : null;
  if (!n || !n.name) {
    main.replaceChildren(h("h1", { tabindex: "-1" }, "Not found"),
      h("p", null, "The graph holds nothing with this identifier. Try the search box above."));
    return;
  }
  document.title = `${n.name} · cyberkg explorer`;
  const page = h("article", { class: "entity", "aria-labelledby": "entity-name" },
    h("p", { class: `kind k-${kind}` }, kindName(kind, n.actorKind)),
    h("h1", { id: "entity-name", tabindex: "-1" }, n.name),
    n.aliases?.length ? h("p", { class: "aliases" }, h("span", { class: "label" }, "Also known as "), n.aliases.join(" · ")) : null,
    n.description ? h("p", { class: "description" }, n.description) : null,
    keyFigures(kind, n, d, totals),
    actions(kind, n),
  );
  for (const sec of sections(kind, n, d)) if (sec) page.appendChild(sec);
  page.appendChild(picture(n.id, n.name));
  main.replaceChildren(page);
  performance.mark("entity-rendered");
}

function figure(label: string, value: string, note?: string | null): HTMLElement {
  return h("div", { class: "figure" }, h("dt", null, label), h("dd", null, h("span", { class: "value" }, value), note ? h("span", { class: "note" }, note) : null));
}

function keyFigures(kind: Kind, n: any, d: any, totals: Promise<{ totals: Total[]; firmTotals: Total[] }> | null): HTMLElement | null {
  const figs: HTMLElement[] = [];
  if (totals) {
    const stolen = figure("Reported stolen", "…", "adding up");
    totals.then((t) => {
      const total = t.totals.find((x) => x.key === n.id);
      const firm = t.firmTotals.find((x) => x.key === n.id);
      stolen.replaceWith(figure("Reported stolen", total ? usd(total.usd) : "no amount reported",
        total ? (firm && firm.usd === total.usd ? "in incidents attributed to it by a source stating it as fact"
          : `${firm ? usd(firm.usd) : "$0"} in incidents stated as fact; the rest only suspected`) : null));
    }).catch(() => stolen.replaceWith(figure("Reported stolen", "could not be added up")));
    figs.push(stolen);
    const all = n.accused.totalCount, sure = n.firm.totalCount;
    figs.push(figure("Incidents attributed", String(all), all === sure ? "all stated as fact by a source" : `${sure} stated as fact, ${all - sure} only suspected`));
    const from = d.earliest.nodes[0]?.date, to = n.latest.nodes[0]?.date;
    figs.push(figure("Active", from ? (from.slice(0, 4) === to?.slice(0, 4) ? from.slice(0, 4) : `${from.slice(0, 4)} – ${(to ?? from).slice(0, 4)}`) : "unknown", from ? "years of the incidents attributed to it" : null));
  } else if (kind === "INCIDENT") {
    figs.push(figure("When", dateWords(n.date)));
    figs.push(figure("Reported stolen", n.stolenUSD != null ? usd(n.stolenUSD) : "no dollar amount reported"));
    if (n.incidentKind) figs.push(figure("What happened", n.incidentKind.charAt(0) + n.incidentKind.slice(1).toLowerCase()));
  } else if (kind === "ORGANIZATION") {
    figs.push(figure("Times targeted", String(n.targetedBy.totalCount)));
  } else if (kind === "SECTOR") {
    figs.push(figure("Incidents against it", String(d.all.totalCount), "directly or through its organizations"));
    figs.push(figure("Organizations", String(n.organizations.totalCount)));
  }
  return h("dl", { class: "figures" }, figs);
}

function actions(kind: Kind, n: any): HTMLElement {
  const id = encodeURIComponent(n.id);
  return h("p", { class: "actions" },
    h("a", { class: "button", href: `/graph?seed=${id}&depth=1` }, "See it on a graph"),
    kind === "THREAT_ACTOR" || kind === "STATE" ? h("a", { class: "button", href: `/timeline/${id}` }, "Timeline of incidents") : null,
    h("a", { class: "button", href: `/connect?from=${id}` }, "How is it connected to…"));
}

function section(title: string, items: HTMLElement[], more?: HTMLElement | null, total?: number): HTMLElement | null {
  if (items.length === 0) return null;
  const hid = "s-" + title.toLowerCase().replace(/[^a-z]+/g, "-");
  return h("section", { class: "relations", "aria-labelledby": hid },
    h("h2", { id: hid }, title, h("span", { class: "count" }, total && total > items.length ? ` (${items.length} of ${total})` : ` (${items.length})`)),
    h("ol", { class: "rels" }, items), more ?? null);
}

function entityLink(e: EntityRef): HTMLElement {
  return h("a", { href: entityHref(e.id), class: `ent k-${e.kind}` }, e.name);
}

// relItem is one relation seen from the page's entity: the other end, how firmly it
// is stated, and its sources.
function relItem<K extends string>(r: WithEnd<K>, end: K, type: string, lead?: string): HTMLElement {
  const other = r[end];
  return h("li", { class: "rel" },
    h("h3", null, lead ? `${lead} ` : "", entityLink(other), " ", badge(r.certainty)),
    claims(r.evidence, type));
}

function accusedItem(e: IncidentEdge): HTMLElement {
  const inc = e.node;
  const [first, ...rest] = e.path;
  const facts = [dateWords(inc.date), inc.stolenUSD != null ? `${usd(inc.stolenUSD)} stolen` : null].filter(Boolean).join(" · ");
  const via = rest.length ? h("p", { class: "via" }, "Through ",
    rest.map((r, i) => [i ? "; " : "", entityLink(r.from), `, ${r.type === "PART_OF" ? "which is part of" : r.type === "SPONSORED_BY" ? "which is backed by" : "which is linked to"} `, entityLink(r.to)])) : null;
  return h("li", { class: "rel" },
    h("h3", null, entityLink(inc), " ", badge(e.certainty)),
    h("p", { class: "facts" }, facts),
    via,
    first ? claims(first.evidence, "ATTRIBUTED_TO") : null,
    rest.length ? h("details", { class: "more" }, h("summary", null, "How the link to it is sourced"),
      rest.map((r) => h("div", { class: "chain" }, h("p", null, entityLink(r.from), ` ${r.type === "PART_OF" ? "is part of" : r.type === "SPONSORED_BY" ? "is backed by" : "is linked to"} `, entityLink(r.to), " ", badge(r.certainty)), claims(r.evidence, r.type)))) : null);
}

function targetItem(t: { certainty: Certainty; incident: EntityRef & { stolenUSD?: number | null }; evidence: Evidence[] }): HTMLElement {
  return h("li", { class: "rel" },
    h("h3", null, entityLink(t.incident), " ", badge(t.certainty)),
    h("p", { class: "facts" }, [dateWords(t.incident.date), t.incident.stolenUSD != null ? `${usd(t.incident.stolenUSD)} stolen` : null].filter(Boolean).join(" · ")),
    claims(t.evidence, "TARGETED"));
}

function moreLink(shown: number, total: number, href: string, what: string): HTMLElement | null {
  if (total <= shown) return null;
  return h("p", null, h("a", { href }, `All ${total} ${what}`));
}

function sections(kind: Kind, n: any, _d: any): (HTMLElement | null)[] {
  const id = encodeURIComponent(n.id);
  switch (kind) {
    case "THREAT_ACTOR":
      return [
        section("Accused of (largest thefts first)", n.accused.edges.map(accusedItem), moreLink(n.accused.edges.length, n.accused.totalCount, `/timeline/${id}`, "incidents, on the timeline"), n.accused.totalCount),
        section("Backed by", n.sponsors.map((r: any) => relItem(r, "state", "SPONSORED_BY"))),
        section("Part of", n.partOf.map((r: any) => relItem(r, "group", "PART_OF"))),
        section("Includes", n.subgroups.map((r: any) => relItem(r, "member", "PART_OF"))),
        section("Works with", n.collaborators.map((r: any) => relItem(r, "partner", "COLLABORATES_WITH"))),
        section("Based in", n.locations.map((r: any) => relItem(r, "state", "LOCATED_IN"))),
        externalIds(n.externalIds),
      ];
    case "STATE":
      return [
        section("Incidents attributed to it (largest thefts first)", n.accused.edges.map(accusedItem), moreLink(n.accused.edges.length, n.accused.totalCount, `/timeline/${id}`, "incidents, on the timeline"), n.accused.totalCount),
        section("Groups it backs", n.sponsoredActors.map((r: any) => relItem(r, "actor", "SPONSORED_BY"))),
        section("Works with", n.collaborators.map((r: any) => relItem(r, "partner", "COLLABORATES_WITH"))),
        section("Targeted by", n.targetedBy.nodes.map(targetItem)),
      ];
    case "INCIDENT":
      return [
        section("Attributed to", n.attributions.map((r: any) => relItem(r, "attributedTo", "ATTRIBUTED_TO"))),
        section("Targeted", n.targets.map((r: any) => relItem(r, "entity", "TARGETED"))),
        section("Amounts reported stolen", n.stolen.map((r: any) => h("li", { class: "rel" },
          h("h3", null, r.amount.surface, " ", badge(r.certainty)), claims(r.evidence, "STOLE")))),
        n.evidence.length ? h("section", { class: "relations" }, h("h2", null, "Reported in"), claims(n.evidence, "TARGETED", 3)) : null,
      ];
    case "ORGANIZATION":
      return [
        section("Targeted by", n.targetedBy.nodes.map(targetItem)),
        section("Sector", n.sectors.map((r: any) => relItem(r, "sector", "IN_SECTOR"))),
        section("Based in", n.locations.map((r: any) => relItem(r, "state", "LOCATED_IN"))),
      ];
    case "SECTOR":
      return [
        section("Incidents against it", n.targetedBy.nodes.map(targetItem)),
        section("Organizations in it", n.organizations.nodes.map((r: any) => relItem(r, "organization", "IN_SECTOR"))),
      ];
  }
  return [];
}

function externalIds(ids: { system: string; id: string; url: string | null }[]): HTMLElement | null {
  if (!ids?.length) return null;
  return h("section", { class: "relations" }, h("h2", null, "In other catalogues"),
    h("ul", null, ids.map((x) => h("li", null, `${x.system}: `, outLink(x.url, x.id)))));
}
