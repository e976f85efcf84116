// The process owner's browser modeler: edit a copy of a deployed version, validate it and deploy it as a new
// version through the same API as a Camunda Modeler upload. Work in progress is kept as a draft in this
// browser, so a closed tab or an expired session loses nothing.
import Modeler from "bpmn-js/lib/Modeler";
import {
  BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
} from "bpmn-js-properties-panel";
import CamundaBehaviorsModule from "camunda-bpmn-js-behaviors/lib/camunda-platform";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import translateDa from "./translate-da.js";

const DRAFT_SAVE_MS = 1000;

const root = document.getElementById("modeller");
const result = document.getElementById("resultat");
const draftNotice = document.getElementById("kladde-besked");
const { processId, filename, bpmnUrl, csrf, baseVersion } = root.dataset;
const draftKey = `sagsflow:modelkladde:${processId}`;

const modeler = new Modeler({
  container: document.getElementById("laerred"),
  propertiesPanel: { parent: document.getElementById("egenskaber") },
  additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
    CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, translateDa],
  moddleExtensions: { camunda: camundaModdle },
});
let dirty = false, draftTimer = null;

function say(kind, title, lines = [], link = null) {
  result.replaceChildren();
  result.className = `besked ${kind}`;
  const heading = document.createElement("p");
  heading.append(Object.assign(document.createElement("strong"), { textContent: title }));
  result.append(heading);
  if (lines.length) {
    const list = document.createElement("ul");
    for (const line of lines) list.append(line);
    result.append(list);
  }
  if (link) result.append(link);
  result.hidden = false;
  result.focus();
}

function problemLine(error) {
  // A field like "sagsbehandling.bpmn#bfu" names the element: offer to show it.
  const item = document.createElement("li");
  const elementId = (error.field || "").split("#")[1];
  item.textContent = error.message;
  const element = elementId && modeler.get("elementRegistry").get(elementId);
  if (element) {
    const show = Object.assign(document.createElement("button"), {
      type: "button", className: "knap sekundaer lille", textContent: `Vis ${element.businessObject.name || elementId}`,
    });
    show.addEventListener("click", () => {
      modeler.get("selection").select(element);
      modeler.get("canvas").scrollToElement(element);
    });
    item.append(" ", show);
  }
  return item;
}

async function currentFile() {
  const { xml } = await modeler.saveXML({ format: true });
  return new File([xml], filename, { type: "application/xml" });
}

async function send(url) {
  const body = new FormData();
  body.append("file", await currentFile());
  const response = await fetch(url, {
    method: "POST", body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf },
  });
  let payload = {};
  try { payload = await response.json(); } catch (_) { /* not JSON: handled by the status below */ }
  return { status: response.status, payload };
}

function failed(status, payload, what) {
  if (status === 401 || status === 403) {
    say("fejl", `${what} lykkedes ikke: ${payload.detail || "du er logget ud."}`, [],
      Object.assign(document.createElement("p"), {
        textContent: "Din ændring er gemt som kladde i denne browser. Log ind igen, og åbn siden på ny.",
      }));
  } else if (status === 422) {
    say("fejl", payload.detail || "Modellen er ikke gyldig.", (payload.errors || []).map(problemLine));
  } else {
    say("fejl", `${what} lykkedes ikke (fejl ${status}). Din ændring er gemt som kladde i denne browser.`);
  }
}

function versionLine(p) {
  return Object.assign(document.createElement("li"), {
    textContent: p.ny_version ? `${p.navn}: bliver version ${p.version}.`
      : `${p.navn}: uændret (svarer til version ${p.version}).`,
  });
}

async function validate() {
  try {
    const { status, payload } = await send("/api/process-versions/validering");
    if (status !== 200) return failed(status, payload, "Valideringen");
    say("ok", "Modellen er gyldig og kan udrulles.", payload.processer.map(versionLine));
  } catch (_) {
    say("fejl", "Ingen forbindelse til serveren. Din ændring er gemt som kladde i denne browser.");
  }
}

async function deploy() {
  if (!window.confirm("Udrul modellen som en ny version? Nye sager bruger den; kørende sager bliver på deres version.")) return;
  try {
    const { status, payload } = await send("/api/process-versions");
    if (status !== 201) return failed(status, payload, "Udrulningen");
    dirty = false;
    localStorage.removeItem(draftKey);
    const lines = payload.versioner.map((d) => Object.assign(document.createElement("li"), {
      textContent: d.ny_version ? `${d.version.navn}: version ${d.version.version} er udrullet.`
        : `${d.version.navn}: uændret – version ${d.version.version} bruges fortsat.`,
    }));
    const link = Object.assign(document.createElement("a"), {
      href: `/modeller/${processId}`, textContent: "Til procesmodellens versioner",
    });
    say("ok", payload.ny_version ? "Modellen er udrullet." : "Ingen ændringer: der er ikke udrullet en ny version.",
      lines, link);
  } catch (_) {
    say("fejl", "Ingen forbindelse til serveren. Din ændring er gemt som kladde i denne browser.");
  }
}

async function download() {
  const file = await currentFile();
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(file), download: filename });
  link.click();
  URL.revokeObjectURL(link.href);
}

async function saveDraft() {
  const { xml } = await modeler.saveXML();
  localStorage.setItem(draftKey, JSON.stringify({ xml, baseVersion, savedAt: new Date().toISOString() }));
  document.getElementById("kladde-status").textContent =
    `Kladden er gemt i browseren kl. ${new Date().toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" })}.`;
}

function offerDraft(draft) {
  const when = new Date(draft.savedAt).toLocaleString("da-DK", { dateStyle: "short", timeStyle: "short" });
  document.getElementById("kladde-tekst").textContent =
    `Der er en kladde fra ${when}, som ikke er udrullet (udgangspunkt: version ${draft.baseVersion}).`;
  draftNotice.hidden = false;
  document.getElementById("gendan").addEventListener("click", async () => {
    await modeler.importXML(draft.xml);
    modeler.get("canvas").zoom("fit-viewport");
    dirty = true;
    draftNotice.hidden = true;
    say("info", "Kladden er gendannet.");
  });
  document.getElementById("kassér").addEventListener("click", () => {
    localStorage.removeItem(draftKey);
    draftNotice.hidden = true;
  });
}

async function start() {
  try {
    const response = await fetch(bpmnUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    await modeler.importXML(await response.text());
  } catch (_) {
    say("fejl", "Modellen kunne ikke hentes. Genindlæs siden.");
    return;
  }
  modeler.get("canvas").zoom("fit-viewport");
  const stored = localStorage.getItem(draftKey);
  if (stored) offerDraft(JSON.parse(stored));
  modeler.on("commandStack.changed", () => {
    dirty = true;
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, DRAFT_SAVE_MS);
  });
  document.getElementById("valider").addEventListener("click", validate);
  document.getElementById("udrul").addEventListener("click", deploy);
  document.getElementById("hent").addEventListener("click", download);
  const canvas = modeler.get("canvas");
  const views = { ind: () => canvas.zoom(canvas.zoom() * 1.25), ud: () => canvas.zoom(canvas.zoom() / 1.25),
                  hele: () => canvas.zoom("fit-viewport"), soeg: () => modeler.get("searchPad").toggle() };
  for (const button of document.querySelectorAll("[data-view]")) {
    button.addEventListener("click", views[button.dataset.view]);
  }
  for (const button of document.querySelectorAll("[data-needs-model]")) button.disabled = false;
  root.dataset.klar = "1";  // for the browser tests: the model is on the canvas
}

window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();  // the draft is kept anyway; the browser asks before leaving
});

start();
