// The explorer reads the GraphQL API at /graphql, and loads big graph views in one
// request from the export endpoint, /export?format=cytoscape, which streams them.

export class ApiError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("The server cannot be reached. Is cyberkg serve running?", "UNAVAILABLE");
  }
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The server answered ${res.status} without data.`, "INTERNAL");
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    const code = e.extensions?.code;
    if (code === "UNAUTHENTICATED") throw new ApiError("This server lets only people with a token read it.", code);
    throw new ApiError(e.message, code);
  }
  if (!body.data) throw new ApiError(`The server answered ${res.status} without data.`, "INTERNAL");
  return body.data;
}

export type Kind = "STATE" | "THREAT_ACTOR" | "INCIDENT" | "ORGANIZATION" | "SECTOR";
export type Certainty = "ASSERTED" | "HEDGED";

export interface SourceRef {
  url: string;
  title: string;
  publisher: string | null;
  publishedAt?: string | null;
}

export interface Evidence {
  quote: string;
  claimant: string | null;
  certainty: Certainty;
  reported: string | null;
  source: SourceRef;
}

export interface EntityRef {
  id: string;
  name: string;
  kind: Kind;
  aliases?: string[];
  date?: string | null;
  stolenUSD?: number | null;
  actorKind?: string | null;
}

export interface Relation {
  id: string;
  type: string;
  certainty: Certainty;
  from: EntityRef;
  to: EntityRef;
  evidence?: Evidence[];
}

export const EV = `fragment Ev on Evidence { quote claimant certainty reported source { url title publisher } }`;

// The Cytoscape.js JSON of GET /export?format=cytoscape: every attribute in data.
export interface ExportElement { data: Record<string, unknown> }
export interface ExportedGraph {
  elements: { nodes: ExportElement[]; edges: ExportElement[] };
  // cut: the selection reached more entities than its limit, and the server kept
  // this many, nearest the seeds (the X-Cyberkg-Cut header); 0 when it is whole.
  cut: number;
}

// exportGraph asks the export endpoint for a subgraph as Cytoscape.js JSON. Its
// refusals are JSON {"error", "code"}: the message becomes the ApiError's.
export async function exportGraph(params: URLSearchParams, signal?: AbortSignal): Promise<ExportedGraph> {
  params.set("format", "cytoscape");
  let res: Response;
  try {
    res = await fetch("/export?" + params.toString(), { headers: { Accept: "application/json" }, signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("The server cannot be reached. Is cyberkg serve running?", "UNAVAILABLE");
  }
  let body: any;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The server answered ${res.status} without data.`, "INTERNAL");
  }
  if (!res.ok) {
    if (res.status === 401) throw new ApiError("This server lets only people with a token read it.", "UNAUTHENTICATED");
    throw new ApiError(typeof body?.error === "string" ? body.error : `The server answered ${res.status}.`, body?.code);
  }
  if (!body?.elements || !Array.isArray(body.elements.nodes) || !Array.isArray(body.elements.edges)) {
    throw new ApiError("The server answered with a graph the explorer cannot read.", "INTERNAL");
  }
  return { elements: body.elements, cut: Number(res.headers.get("X-Cyberkg-Cut")) || 0 };
}
