// Fails the build when src/api/schema.d.ts (the typed client's types) drifted from ../openapi.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "mip-api-")), "schema.d.ts");
execFileSync("npx", ["--no-install", "openapi-typescript", "../openapi.json", "-o", out], { stdio: "ignore" });
const fresh = readFileSync(out, "utf8");
const committed = readFileSync("src/api/schema.d.ts", "utf8");
if (fresh !== committed) {
  console.error("web/src/api/schema.d.ts drifted from openapi.json: run `npm run gen:api` in web/ and commit it");
  process.exit(1);
}
console.log("api client types match openapi.json");
