// The process owner's DMN editor: dmn-js opens the file's first decision table (its own buttons lead to the
// requirements diagram and the other decisions). Validating, deploying and the draft are in editor.js; the cells
// are checked while typing in cell-check.js.
import DmnModeler from "dmn-js/lib/Modeler";
import { cellCheck } from "./cell-check.js";
import { modelEditor } from "./editor.js";
import translateDmnDa from "./translate-dmn-da.js";

// Per view: dmn-js 17 does not hand `common.additionalModules` on to its views (bpmn-io/dmn-js#694).
const danish = { additionalModules: [translateDmnDa] };
const modeler = new DmnModeler({
  container: document.getElementById("laerred"),
  drd: danish, decisionTable: danish, literalExpression: danish, boxedExpression: danish,
});
const root = document.getElementById("modeller");
const saveXML = async (options) => (await modeler.saveXML(options)).xml;
const cells = cellCheck({
  saveXML, filename: root.dataset.filename, csrf: root.dataset.csrf, box: document.getElementById("celle-fejl"),
});
const watched = new WeakSet();
let onEdit = () => {};

// Each view (the requirements diagram, each decision table) has its own viewer and command stack; dmn-js's own
// buttons switch between them. Listen to each viewer once, as it is first shown.
modeler.on("views.changed", () => {
  const viewer = modeler.getActiveViewer();
  if (viewer && !watched.has(viewer)) {
    watched.add(viewer);
    viewer.get("eventBus").on("elements.changed", () => {
      onEdit();
      cells.schedule();
    });
  }
  cells.schedule();  // another table shown: mark its cells too
});

modelEditor({
  importXML: async (xml) => {
    await modeler.importXML(xml);
    const table = modeler.getViews().find((view) => view.type === "decisionTable");
    if (table) await modeler.open(table);
    cells.schedule();  // e.g. a draft brought back with a cell still wrong
  },
  saveXML,
  onChange: (callback) => { onEdit = callback; },
  findElement: (id) => {
    const cell = id && document.querySelector(`td[data-element-id="${CSS.escape(id)}"]`);
    return cell && {
      name: "cellen",
      show: () => {
        cell.scrollIntoView({ block: "center", inline: "center" });
        (cell.querySelector("[contenteditable]") || cell).focus();  // the cursor in the cell, ready to correct
      },
    };
  },
}).start();
