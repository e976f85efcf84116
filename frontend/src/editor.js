// What the BPMN modeler and the DMN table editor share: Validér, Udrul and Hent through the API (the same
// checks as a Camunda Modeler upload), and the draft: kept on the server as the person's own, and in this
// browser while the server cannot be reached (logged out, no connection), so nothing typed is lost.
const DRAFT_SAVE_MS = 1000;
const CHANGES_SHOWN = 15;  // a long list belongs on the version page, after deploying

const clock = (date) => date.toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });

export function modelEditor({ importXML, saveXML, onChange, findElement = () => null, views = {} }) {
  const root = document.getElementById("modeller");
  const result = document.getElementById("resultat");
  const { filename, xmlUrl, csrf, baseVersion, backUrl, backText, user } = root.dataset;
  const draftKey = `sagsflow:modelkladde:${user}:${filename}`;  // a shared PC: each person's own
  const draftUrl = `/api/modelkladder/${encodeURIComponent(filename)}`;
  const jsonHeaders = { "Content-Type": "application/json", "X-CSRF-Token": csrf };
  let dirty = false, draftTimer = null;

  function say(kind, title, lines = [], extra = null) {
    result.replaceChildren();
    result.className = `besked ${kind}`;
    const heading = document.createElement("p");
    heading.append(Object.assign(document.createElement("strong"), { textContent: title }));
    result.append(heading);
    if (lines.length) {
      const list = document.createElement("ul");
      list.append(...lines);
      result.append(list);
    }
    if (extra) result.append(extra);
    result.hidden = false;
    result.focus();
  }

  const item = (text) => Object.assign(document.createElement("li"), { textContent: text });
  // Only what a case does or reads makes a version: moved shapes or a re-saved file do not.
  const drawingOnly = () => Object.assign(document.createElement("p"), {
    textContent: "Modellen er den samme som den udrullede; kun diagrammets tegning (placeringer og størrelser) kan "
      + "være ændret, og den giver ikke alene en ny version.",
  });

  function problemLine(error) {
    // The element (a table's cell) or a field like "sagsbehandling.bpmn#bfu" names what to show.
    const line = item(error.message);
    const found = findElement(error.element) || findElement((error.field || "").split("#")[1]);
    if (found) {
      const show = Object.assign(document.createElement("button"), {
        type: "button", className: "knap sekundaer lille", textContent: `Vis ${found.name}`,
      });
      show.addEventListener("click", found.show);
      line.append(" ", show);
    }
    return line;
  }

  async function currentFile() {
    return new File([await saveXML({ format: true })], filename, { type: "application/xml" });
  }

  async function send(url) {
    const body = new FormData();
    body.append("file", await currentFile());
    const response = await fetch(url, {
      method: "POST", body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf },
    });
    let payload = {};
    try { payload = await response.json(); } catch (_) { /* not JSON: the status says enough */ }
    return { status: response.status, payload };
  }

  function failed(status, payload, what) {
    if (status === 401 || status === 403) {
      say("fejl", `${what} lykkedes ikke: ${payload.detail || "du er logget ud."}`, [],
        Object.assign(document.createElement("p"), {
          textContent: "Din ændring er gemt som kladde. Log ind igen, og åbn siden på ny.",
        }));
    } else if (status === 422) {
      say("fejl", payload.detail || "Modellen er ikke gyldig.", (payload.errors || []).map(problemLine));
    } else {
      say("fejl", `${what} lykkedes ikke (fejl ${status}). Din ændring er gemt som kladde.`);
    }
  }

  const offline = () => say("fejl", "Ingen forbindelse til serveren. Din ændring er gemt som kladde i denne browser.");

  function processLine(p) {
    if (!p.ny_version) return item(`${p.navn}: uændret (svarer til version ${p.version}).`);
    const line = item(`${p.navn}: bliver version ${p.version}` + (p.version === 1 ? " (en ny proces)."
      : p.aendringer.length ? ". Ændringer i forhold til den nyeste version:"
        : " (ændret i noget, oversigten ikke viser, fx reglernes rækkefølge eller dokumentation)."));
    if (p.aendringer.length) {
      const list = document.createElement("ul");
      list.append(...p.aendringer.slice(0, CHANGES_SHOWN).map(item));
      if (p.aendringer.length > CHANGES_SHOWN) list.append(item(`… og ${p.aendringer.length - CHANGES_SHOWN} flere.`));
      line.append(list);
    }
    return line;
  }

  async function flushDraft() {
    // Before talking to the server: what the messages call "gemt som kladde" is then saved.
    if (!draftTimer) return;
    clearTimeout(draftTimer);
    draftTimer = null;
    await saveDraft();
  }

  async function validate() {
    await flushDraft();
    try {
      const { status, payload } = await send("/api/process-versions/validering");
      if (status !== 200) return failed(status, payload, "Valideringen");
      const unchanged = payload.processer.every((p) => !p.ny_version);
      say("ok", unchanged ? "Modellen er gyldig. Ingen ændringer — en udrulning giver ingen ny version."
        : "Modellen er gyldig og kan udrulles.", payload.processer.map(processLine), unchanged ? drawingOnly() : null);
    } catch (_) {
      offline();
    }
  }

  async function deploy() {
    if (!window.confirm("Udrul som en ny version? Nye sager bruger den; kørende sager bliver på deres version.")) return;
    await flushDraft();
    try {
      const { status, payload } = await send("/api/process-versions");
      if (status !== 201) return failed(status, payload, "Udrulningen");
      dirty = false;
      await discardDraft();
      const lines = payload.versioner.map((d) => item(d.ny_version
        ? `${d.version.navn}: version ${d.version.version} er udrullet.`
        : `${d.version.navn}: uændret – version ${d.version.version} bruges fortsat.`));
      const created = payload.versioner.some((d) => d.ny_version);
      const back = Object.assign(document.createElement("a"), { href: backUrl, textContent: backText });
      const extra = document.createElement("div");
      extra.append(...(created ? [] : [drawingOnly()]), back);
      say("ok", created ? "Modellen er udrullet." : "Ingen ændringer — ingen ny version.", lines, extra);
    } catch (_) {
      offline();
    }
  }

  async function download() {
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(await currentFile()), download: filename,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  }

  async function saveDraft() {
    const xml = await saveXML({});
    const status = document.getElementById("kladde-status");
    try {
      const response = await fetch(draftUrl, {
        method: "PUT", credentials: "same-origin", headers: jsonHeaders,
        body: JSON.stringify({ xml, udgangspunkt: baseVersion }),
      });
      if (response.status !== 204) throw new Error(String(response.status));
      localStorage.removeItem(draftKey);
      status.textContent = `Kladden er gemt kl. ${clock(new Date())}.`;
    } catch (_) {
      localStorage.setItem(draftKey, JSON.stringify({ xml, base: baseVersion, savedAt: new Date() }));
      status.textContent = "Kladden kunne ikke gemmes på serveren (er du logget ud?); den er gemt i denne browser, "
        + `til det lykkes (kl. ${clock(new Date())}).`;
    }
  }

  async function discardDraft() {
    localStorage.removeItem(draftKey);
    try {
      await fetch(draftUrl, { method: "DELETE", credentials: "same-origin", headers: jsonHeaders });
    } catch (_) { /* gone with the next save or deploy */ }
  }

  async function storedDraft() {
    // The server's, or this browser's when it is newer (saved while the server could not be reached).
    let server = null;
    try {
      // The page says whether there is one, so no request is made (and no 404 logged) when there is none.
      const response = root.dataset.draftSaved ? await fetch(draftUrl, { credentials: "same-origin" }) : null;
      if (response?.ok) {
        const found = await response.json();
        server = { xml: found.xml, base: found.udgangspunkt, savedAt: found.gemt };
      }
    } catch (_) { /* offline: this browser's copy, if any */ }
    const local = JSON.parse(localStorage.getItem(draftKey) || "null");
    if (local && (!server || new Date(local.savedAt) > new Date(server.savedAt))) return local;
    return server;
  }

  function changed() {
    dirty = true;
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => { draftTimer = null; saveDraft(); }, DRAFT_SAVE_MS);
  }

  function offerDraft(draft) {
    const notice = document.getElementById("kladde-besked");
    const when = new Date(draft.savedAt).toLocaleString("da-DK", { dateStyle: "short", timeStyle: "short" });
    document.getElementById("kladde-tekst").textContent =
      `Du har en kladde fra ${when}, som ikke er udrullet (udgangspunkt: ${draft.base}).`;
    notice.hidden = false;
    document.getElementById("gendan").addEventListener("click", async () => {
      await importXML(draft.xml);
      dirty = true;
      notice.hidden = true;
      say("info", "Kladden er gendannet.");
    });
    document.getElementById("kassér").addEventListener("click", async () => {
      await discardDraft();
      notice.hidden = true;
    });
  }

  async function start() {
    try {
      const response = await fetch(xmlUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      await importXML(await response.text());
    } catch (_) {
      say("fejl", "Modellen kunne ikke hentes. Genindlæs siden.");
      return;
    }
    const stored = await storedDraft();
    if (stored) offerDraft(stored);
    onChange(changed);
    document.getElementById("valider").addEventListener("click", validate);
    document.getElementById("udrul").addEventListener("click", deploy);
    document.getElementById("hent").addEventListener("click", download);
    for (const button of document.querySelectorAll("[data-view]")) {
      button.addEventListener("click", views[button.dataset.view]);
    }
    for (const button of document.querySelectorAll("[data-needs-model]")) button.disabled = false;
    root.dataset.klar = "1";  // for the browser tests: the model is shown
  }

  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();  // the draft is kept anyway; the browser asks before leaving
  });
  return { start, say };
}
