// What the BPMN modeler and the DMN table editor share: Validér, Udrul and Hent through the API (the same
// checks as a Camunda Modeler upload), the draft kept in this browser, and the messages about it.
const DRAFT_SAVE_MS = 1000;
const CHANGES_SHOWN = 15;  // a long list belongs on the version page, after deploying

const clock = (date) => date.toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });

export function modelEditor({ importXML, saveXML, onChange, findElement = () => null, views = {} }) {
  const root = document.getElementById("modeller");
  const result = document.getElementById("resultat");
  const { filename, xmlUrl, csrf, baseVersion, backUrl, backText } = root.dataset;
  const draftKey = `sagsflow:modelkladde:${filename}`;
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

  function problemLine(error) {
    // A field like "sagsbehandling.bpmn#bfu" names the element: offer to show it.
    const line = item(error.message);
    const found = findElement((error.field || "").split("#")[1]);
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
          textContent: "Din ændring er gemt som kladde i denne browser. Log ind igen, og åbn siden på ny.",
        }));
    } else if (status === 422) {
      say("fejl", payload.detail || "Modellen er ikke gyldig.", (payload.errors || []).map(problemLine));
    } else {
      say("fejl", `${what} lykkedes ikke (fejl ${status}). Din ændring er gemt som kladde i denne browser.`);
    }
  }

  const offline = () => say("fejl", "Ingen forbindelse til serveren. Din ændring er gemt som kladde i denne browser.");

  function processLine(p) {
    if (!p.ny_version) return item(`${p.navn}: uændret (svarer til version ${p.version}).`);
    const line = item(`${p.navn}: bliver version ${p.version}` + (p.aendringer.length
      ? ". Ændringer i forhold til den nyeste version:" : " (kun diagrammets tegning er ændret)."));
    if (p.aendringer.length) {
      const list = document.createElement("ul");
      list.append(...p.aendringer.slice(0, CHANGES_SHOWN).map(item));
      if (p.aendringer.length > CHANGES_SHOWN) list.append(item(`… og ${p.aendringer.length - CHANGES_SHOWN} flere.`));
      line.append(list);
    }
    return line;
  }

  async function validate() {
    try {
      const { status, payload } = await send("/api/process-versions/validering");
      if (status !== 200) return failed(status, payload, "Valideringen");
      say("ok", "Modellen er gyldig og kan udrulles.", payload.processer.map(processLine));
    } catch (_) {
      offline();
    }
  }

  async function deploy() {
    if (!window.confirm("Udrul som en ny version? Nye sager bruger den; kørende sager bliver på deres version.")) return;
    try {
      const { status, payload } = await send("/api/process-versions");
      if (status !== 201) return failed(status, payload, "Udrulningen");
      dirty = false;
      localStorage.removeItem(draftKey);
      const lines = payload.versioner.map((d) => item(d.ny_version
        ? `${d.version.navn}: version ${d.version.version} er udrullet.`
        : `${d.version.navn}: uændret – version ${d.version.version} bruges fortsat.`));
      const created = payload.versioner.some((d) => d.ny_version);
      say("ok", created ? "Modellen er udrullet." : "Ingen ændringer: der er ikke udrullet en ny version.", lines,
        Object.assign(document.createElement("a"), { href: backUrl, textContent: backText }));
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
    localStorage.setItem(draftKey, JSON.stringify({ xml: await saveXML({}), baseVersion, savedAt: new Date() }));
    document.getElementById("kladde-status").textContent = `Kladden er gemt i browseren kl. ${clock(new Date())}.`;
  }

  function changed() {
    dirty = true;
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, DRAFT_SAVE_MS);
  }

  function offerDraft(draft) {
    const notice = document.getElementById("kladde-besked");
    const when = new Date(draft.savedAt).toLocaleString("da-DK", { dateStyle: "short", timeStyle: "short" });
    document.getElementById("kladde-tekst").textContent =
      `Der er en kladde fra ${when}, som ikke er udrullet (udgangspunkt: ${draft.baseVersion}).`;
    notice.hidden = false;
    document.getElementById("gendan").addEventListener("click", async () => {
      await importXML(draft.xml);
      dirty = true;
      notice.hidden = true;
      say("info", "Kladden er gendannet.");
    });
    document.getElementById("kassér").addEventListener("click", () => {
      localStorage.removeItem(draftKey);
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
    const stored = localStorage.getItem(draftKey);
    if (stored) offerDraft(JSON.parse(stored));
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
