// The process owner's BPMN modeler: bpmn-js with the properties panel for the Camunda 7 extensions our models
// use (form keys, properties), in Danish. Validating, deploying and the draft are in editor.js.
import Modeler from "bpmn-js/lib/Modeler";
import {
  BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
} from "bpmn-js-properties-panel";
import CamundaBehaviorsModule from "camunda-bpmn-js-behaviors/lib/camunda-platform";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import { deadlinePicker } from "./deadline-picker.js";
import { modelEditor } from "./editor.js";
import translateDa from "./translate-da.js";

const modeler = new Modeler({
  container: document.getElementById("laerred"),
  propertiesPanel: { parent: document.getElementById("egenskaber") },
  additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
    CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, translateDa,
    deadlinePicker(JSON.parse(document.getElementById("modeller").dataset.deadlines || "[]"))],
  moddleExtensions: { camunda: camundaModdle },
});
const canvas = modeler.get("canvas");
const searchPad = modeler.get("searchPad");
const MARGIN = 16;  // px around the diagram

function fitBesidePalette() {
  // Like zoom("fit-viewport"), but in the part of the canvas right of the palette, which floats over the canvas's
  // left edge and would otherwise cover the model's first elements.
  const { inner } = canvas.viewbox();
  const area = canvas.getContainer().getBoundingClientRect();
  const palette = canvas.getContainer().querySelector(".djs-palette")?.getBoundingClientRect();
  const left = (palette ? palette.right - area.left : 0) + MARGIN;
  const width = area.width - left - MARGIN, height = area.height - 2 * MARGIN;
  if (!area.width || !area.height) return;  // not laid out (yet): fitted when it is
  if (!inner.width || !inner.height || width <= 0 || height <= 0) return canvas.zoom("fit-viewport");
  const scale = Math.min(width / inner.width, height / inner.height, 1);
  const top = MARGIN + (height - inner.height * scale) / 2;
  canvas.viewbox({
    x: inner.x - left / scale, y: inner.y - top / scale, width: area.width / scale, height: area.height / scale,
  });
}

function openSearch(event) {
  // The search pad closes on any click in the page, this button's own included: keep the click to the button.
  event.stopPropagation();
  if (searchPad.isOpen()) canvas.getContainer().querySelector(".djs-search-input input")?.focus();
  else searchPad.open();
}

// The canvas and the palette settle after the import (style sheets, fonts, the properties panel's width, the
// palette switching to two columns on a short screen): until the process owner moves or zooms the model, each
// change of their size fits the model again, so it never starts under the palette or outside the canvas.
let moved = false;
for (const type of ["wheel", "pointerdown", "keydown"]) {
  canvas.getContainer().addEventListener(type, () => { moved = true; }, { capture: true, passive: true });
}
const settle = new ResizeObserver(() => {
  const { width, height } = canvas.getContainer().getBoundingClientRect();
  if (!width || !height) return;  // hidden or leaving the page: nothing to fit (a zero box gives no finite scale)
  canvas.resized();
  if (!moved) fitBesidePalette();
});

modelEditor({
  importXML: async (xml) => {
    await modeler.importXML(xml);
    fitBesidePalette();
    settle.observe(canvas.getContainer());
    const palette = canvas.getContainer().querySelector(".djs-palette");
    if (palette) settle.observe(palette);
  },
  saveXML: async (options) => (await modeler.saveXML(options)).xml,
  onChange: (callback) => modeler.on("commandStack.changed", callback),
  findElement: (id) => {
    const element = id && modeler.get("elementRegistry").get(id);
    return element && {
      name: element.businessObject.name || id,
      show: () => {
        modeler.get("selection").select(element);
        canvas.scrollToElement(element);
      },
    };
  },
  views: {
    ind: () => canvas.zoom(canvas.zoom() * 1.25), ud: () => canvas.zoom(canvas.zoom() / 1.25),
    hele: fitBesidePalette, soeg: openSearch,
  },
}).start();
