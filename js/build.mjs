// Bundle every widget module in js/ (one render() module per widget) and the shared stylesheet
// into backprop_widgets/static/. Deterministic: a fresh build must equal the committed bundle.
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.env.BW_OUTDIR || join(here, "..", "backprop_widgets", "static");
const entryPoints = readdirSync(here)
  .filter((f) => (f.endsWith(".js") || f.endsWith(".css")) && !f.startsWith("build"))
  .sort()
  .map((f) => join(here, f));

const options = {
  entryPoints,
  outdir,
  bundle: true,
  format: "esm",
  target: "es2020",
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
  // An exported HTML page may carry require.js; keep it from hijacking the bundle.
  define: { "define.amd": "false" },
};

if (process.argv.includes("--watch")) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`watching ${entryPoints.length} entries -> ${outdir}`);
} else {
  await esbuild.build(options);
}
