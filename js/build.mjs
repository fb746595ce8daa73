// Bundle every widget module in js/ (one render() module per widget) and the shared stylesheet
// into backprop_widgets/static/. Deterministic: a fresh build must equal the committed bundle.
//
// KaTeX is bundled with its fonts: only the woff2 files (every browser that runs JupyterLab 4
// reads woff2), inlined as data URLs, so nothing is fetched. Its @font-face rules become the
// module "bw:katex-fonts" (a CSS string js/lib/tex.js puts into the document head, since
// browsers ignore @font-face inside a shadow root); the rest of katex.css goes into styles.css.
import * as esbuild from "esbuild";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.env.BW_OUTDIR || join(here, "..", "backprop_widgets", "static");
const entryPoints = readdirSync(here)
  .filter((f) => (f.endsWith(".js") || f.endsWith(".css")) && !f.startsWith("build"))
  .sort()
  .map((f) => join(here, f));

const require = createRequire(import.meta.url);
const katexCss = require.resolve("katex/dist/katex.css");
const FONT_FACE = /@font-face\s*{[^}]*}/g;

function fontFaces() {
  const css = readFileSync(katexCss, "utf8");
  const fonts = join(dirname(katexCss), "fonts");
  return (css.match(FONT_FACE) || [])
    .map((rule) => {
      const woff2 = rule.match(/url\(fonts\/([^)]+\.woff2)\)/);
      if (!woff2) throw new Error(`a KaTeX @font-face without woff2: ${rule}`);
      const data = readFileSync(join(fonts, woff2[1])).toString("base64");
      const src = `src:url(data:font/woff2;base64,${data}) format("woff2")`;
      return rule.replace(/src:[^;}]*/, src).replace(/\s+/g, " ");
    })
    .join("\n");
}

const katexPlugin = {
  name: "bw-katex",
  setup(build) {
    build.onResolve({ filter: /^bw:katex-fonts$/ }, () => ({ path: "katex-fonts", namespace: "bw" }));
    build.onLoad({ filter: /.*/, namespace: "bw" }, () => ({
      contents: `export default ${JSON.stringify(fontFaces())};`,
      loader: "js",
    }));
    // katex.css without its @font-face rules (they live in the document head, see above).
    build.onLoad({ filter: /katex\.css$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(FONT_FACE, ""),
      loader: "css",
    }));
  },
};

const options = {
  entryPoints,
  outdir,
  bundle: true,
  format: "esm",
  target: "es2020",
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
  minify: process.env.BW_MINIFY !== "0", // BW_MINIFY=0: readable names in a profile
  plugins: [katexPlugin],
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
