// Runs the GraphQL-over-HTTP conformance audits of the npm package graphql-http
// (serverAudits) against the endpoint given as the first argument, prints every result
// that is not ok, and exits non-zero when any is an error (a failed MUST). Warnings
// (SHOULD) and notices (MAY) are printed but do not fail the run.
//
//   node graphql-http-audit.mjs http://127.0.0.1:8080/graphql
//
// .ci/run copies this file next to its own install of graphql-http and runs it there.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node graphql-http-audit.mjs URL");
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url })) {
  results.push(await audit.fn());
}

const count = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  count[r.status]++;
  if (r.status === "ok") continue;
  let body = "";
  try {
    body = (await r.response.text()).slice(0, 300);
  } catch {
    // the audit read it already
  }
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}\n  ${r.reason}${body ? "\n  response: " + body : ""}`);
}
console.log(
  `graphql-http ${results.length} audits against ${url}: ${count.ok} ok, ` +
    `${count.error} errors, ${count.warn} warnings, ${count.notice} notices`,
);
process.exit(count.error > 0 ? 1 : 0);
