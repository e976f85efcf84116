// Bundles the case diagram (bpmn-js viewer), the process owner's modeler (bpmn-js with its properties panel),
// the DMN table editor (dmn-js) and their styles into service/webapp/static/dist; nothing comes from a CDN.
import { build } from "esbuild";

await build({
  entryPoints: {
    diagram: "src/diagram.js", "diagram-style": "src/diagram.css",
    modeler: "src/modeler.js", "modeler-style": "src/modeler.css",
    "table-editor": "src/table-editor.js", "table-editor-style": "src/table-editor.css",
  },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: "../service/webapp/static/dist",
  loader: { ".json": "json", ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file" },
  logLevel: "warning",
});
