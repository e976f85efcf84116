// Draws the case's process version and colours its activities: done, active, overdue.
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";

const REM = 16;

async function show(container) {
  const viewer = new NavigatedViewer({ container });
  const status = document.getElementById(container.dataset.statusId);
  try {
    const response = await fetch(container.dataset.bpmnUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    await viewer.importXML(await response.text());
  } catch (err) {
    if (status) status.textContent = "Diagrammet kunne ikke vises.";
    return;
  }
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const markers = JSON.parse(container.dataset.markers || "{}");
  for (const [id, marker] of Object.entries(markers)) {
    if (registry.get(id)) canvas.addMarker(id, "sf-" + marker);
  }
  // Figures on the tasks (e.g. how many were done and how long they took), as text: never HTML from data.
  const overlays = viewer.get("overlays");
  for (const [id, text] of Object.entries(JSON.parse(container.dataset.badges || "{}"))) {
    if (!registry.get(id)) continue;
    const badge = Object.assign(document.createElement("div"), { className: "sf-badge", textContent: text });
    overlays.add(id, { position: { bottom: -4, left: 0 }, show: { minZoom: 0.5 }, html: badge });
  }
  // As tall as the drawing needs at the page's width, within reason: no empty band under a wide model.
  const inner = canvas.viewbox().inner;
  const fit = () => {
    if (!container.isConnected || container.clientWidth === 0) return;  // leaving the page, or hidden
    const height = (container.clientWidth * inner.height) / Math.max(inner.width, 1) + 2 * REM;
    container.style.height = Math.min(Math.max(height, 14 * REM), 32 * REM) + "px";
    canvas.resized();
    const { outer } = canvas.viewbox();
    if (outer.width > 0 && outer.height > 0) canvas.zoom("fit-viewport");  // a zero-sized canvas cannot be fitted
  };
  fit();
  window.addEventListener("resize", () => requestAnimationFrame(fit));  // e.g. a tablet turned on its side
  // The canvas is focusable (arrow keys pan it); name it for screen readers, the list beside it says the same.
  const svg = container.querySelector("svg");
  svg?.setAttribute("role", "img");
  svg?.setAttribute("aria-label", container.dataset.label || "");
  const actions = { ind: () => canvas.zoom(canvas.zoom() * 1.25), ud: () => canvas.zoom(canvas.zoom() / 1.25),
                    tilpas: () => canvas.zoom("fit-viewport") };
  document.querySelectorAll(`[data-zoom][aria-controls="${container.id}"]`).forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", actions[button.dataset.zoom]);
  });
}

document.querySelectorAll("[data-bpmn-url]").forEach(show);
