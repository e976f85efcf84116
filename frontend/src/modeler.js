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

modelEditor({
  importXML: async (xml) => {
    await modeler.importXML(xml);
    canvas.zoom("fit-viewport");
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
    hele: () => canvas.zoom("fit-viewport"), soeg: () => modeler.get("searchPad").toggle(),
  },
}).start();
