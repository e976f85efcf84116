// Bundles the case diagram (bpmn-js) and its styles into service/webapp/static/dist; nothing comes from a CDN.
import { build } from "esbuild";

await build({
  entryPoints: { diagram: "src/diagram.js", "diagram-style": "src/diagram.css" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: "../service/webapp/static/dist",
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file" },
  logLevel: "warning",
});
