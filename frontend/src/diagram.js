// Draws the case's process version and colours its activities: done, active, overdue.
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";

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
  canvas.zoom("fit-viewport");
  // The canvas is focusable (arrow keys pan it); name it for screen readers, the list above says the same.
  const svg = container.querySelector("svg");
  svg?.setAttribute("role", "img");
  svg?.setAttribute("aria-label", container.dataset.label || "");
}

document.querySelectorAll("[data-bpmn-url]").forEach(show);
