// The explorer reads only the GraphQL API at /graphql.

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
