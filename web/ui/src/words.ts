// Plain words for what the graph holds, for readers who have never seen a graph
// database. A hedged claim must always read as hedged.
import type { Certainty, Evidence, Kind } from "./api";

const kindNames: Record<Kind, string> = {
  STATE: "Country",
  THREAT_ACTOR: "Hacking group",
  INCIDENT: "Incident",
  ORGANIZATION: "Organization",
  SECTOR: "Sector",
};

const actorKinds: Record<string, string> = {
  GROUP: "Hacking group",
  UNIT: "Military or intelligence unit",
  AGENCY: "State agency",
  INDIVIDUAL: "Person",
};

export function kindName(kind: Kind, actorKind?: string | null): string {
  if (kind === "THREAT_ACTOR" && actorKind && actorKinds[actorKind]) return actorKinds[actorKind];
  return kindNames[kind] ?? kind;
}

export const kindPlural: Record<Kind, string> = {
  STATE: "Countries",
  THREAT_ACTOR: "Hacking groups",
  INCIDENT: "Incidents",
  ORGANIZATION: "Organizations",
  SECTOR: "Sectors",
};

// Relation types as a label on a line between two entities, read from -> to.
export const relationVerb: Record<string, string> = {
  ATTRIBUTED_TO: "attributed to",
  SPONSORED_BY: "backed by",
  PART_OF: "part of",
  COLLABORATES_WITH: "works with",
  TARGETED: "targeted",
  STOLE: "stole",
  LOCATED_IN: "based in",
  IN_SECTOR: "in sector",
};

// who names the one who made a claim: the claimant, else the source's publisher, else
// the source's site.
export function who(ev: Evidence): string {
  const c = ev.claimant?.trim() || ev.source.publisher?.trim();
  if (c) return withArticle(c);
  try {
    return new URL(ev.source.url).hostname.replace(/^www\./, "");
  } catch {
    return "an unnamed source";
  }
}

// withArticle puts "the" before names that take it in English: acronyms of agencies
// ("the FBI"), and departments, ministries, bureaus and the like.
export function withArticle(name: string): string {
  if (/^the\s/i.test(name)) return name.charAt(0).toLowerCase() + name.slice(1);
  const institutional = /\b(Department|Ministry|Bureau|Agency|Office|Police|Service|Treasury|Command|Council|Government|Directorate|Centre|Center)\b/;
  const acronym = /^[A-Z]{2,6}$/;
  const notThe = new Set(["NCC", "ESET", "IBM", "CISCO"]);
  if ((acronym.test(name) && !notThe.has(name)) || (institutional.test(name) && !/^[A-Z][a-z]+'s\b/.test(name))) {
    return "the " + name;
  }
  return name;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// claimWords says who claimed it and how firmly: "The FBI attributed it",
// "Suspected by Elliptic".
export function claimWords(ev: Evidence, type?: string): string {
  const w = who(ev);
  if (ev.certainty === "HEDGED") return `Suspected by ${w}`;
  switch (type) {
    case "ATTRIBUTED_TO":
      return `${cap(w)} attributed it`;
    case "TARGETED":
    case "STOLE":
      return `${cap(w)} reported it`;
    default:
      return `${cap(w)} stated it`;
  }
}

export function certaintyWords(c: Certainty | null | undefined): string {
  return c === "HEDGED" ? "Suspected, not confirmed" : "Stated as fact by a source";
}

export function usd(v: number | null | undefined): string {
  if (v === null || v === undefined) return "unknown";
  const abs = Math.abs(v);
  const fmt = (x: number, unit: string) => `$${x.toLocaleString("en-US", { maximumFractionDigits: x < 10 ? 2 : 1 })} ${unit}`;
  if (abs >= 1e9) return fmt(v / 1e9, "billion");
  if (abs >= 1e6) return fmt(v / 1e6, "million");
  return `$${Math.round(v).toLocaleString("en-US")}`;
}

export function shortUSD(v: number): string {
  if (v >= 1e9) return `$${(v / 1e9).toFixed(1)}B`;
  if (v >= 1e6) return `$${(v / 1e6).toFixed(0)}M`;
  if (v >= 1e3) return `$${(v / 1e3).toFixed(0)}K`;
  return `$${Math.round(v)}`;
}

const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// dateWords reads "2025", "2025-02" or "2025-02-21" as precisely as it is known.
export function dateWords(d: string | null | undefined): string {
  if (!d) return "date unknown";
  const [y, m, day] = d.split("-");
  if (!m) return y;
  const month = months[Number(m) - 1] ?? m;
  if (!day) return `${month} ${y}`;
  return `${Number(day)} ${month} ${y}`;
}

export function timeWords(t: string | null | undefined): string | null {
  if (!t) return null;
  const d = new Date(t);
  if (isNaN(d.getTime())) return null;
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
