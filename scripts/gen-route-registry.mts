/**
 * Writes lib/http/route-registry.generated.ts: one static import per app/api/**\/route.ts, so the
 * OpenAPI generator (lib/http/openapi-generate.ts) sees every route file in the Next bundle too.
 * Run `npm run gen:routes` after adding or removing a route; tests/api/openapi.test.ts fails when
 * the registry is out of sync with the files on disk. `--check` exits 1 instead of writing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { registrySource, routeDirs } from "@/lib/http/openapi-registry";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const API_DIR = path.join(ROOT, "app/api");
const OUT = path.join(ROOT, "lib/http/route-registry.generated.ts");


if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = registrySource(routeDirs(API_DIR));
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {
    /* absent */
  }
  if (process.argv.includes("--check")) {
    if (current !== src) {
      console.error("lib/http/route-registry.generated.ts is out of date: run npm run gen:routes");
      process.exit(1);
    }
  } else if (current !== src) {
    writeFileSync(OUT, src);
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  }
}
