// Rebuilds the explorer into a temporary directory and compares it with the committed
// ../dist, file by file: the binary embeds ../dist, so it must be what the source builds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ui = fileURLToPath(new URL("..", import.meta.url));
const committed = join(ui, "..", "dist");
const fresh = mkdtempSync(join(tmpdir(), "cyberkg-dist-"));

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

try {
  execFileSync("npx", ["vite", "build", "--logLevel", "error"], {
    cwd: ui, stdio: "inherit", env: { ...process.env, OUT_DIR: fresh },
  });
  const a = new Map(files(committed).map((p) => [relative(committed, p), p]));
  const b = new Map(files(fresh).map((p) => [relative(fresh, p), p]));
  const problems = [];
  for (const [name, p] of b) {
    if (!a.has(name)) problems.push(`missing from web/dist: ${name}`);
    else if (!readFileSync(p).equals(readFileSync(a.get(name)))) problems.push(`differs: ${name}`);
  }
  for (const name of a.keys()) if (!b.has(name)) problems.push(`stale in web/dist: ${name}`);
  if (problems.length) {
    console.error(problems.join("\n"));
    console.error("web/dist does not match web/ui: run `npm run build` in web/ui and commit web/dist");
    process.exit(1);
  }
  console.log(`web/dist matches a fresh build (${b.size} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
