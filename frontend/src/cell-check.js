// While the process owner types in a decision table, the table is checked as Validér checks it: by the server's
// own FEEL parser (service/engine/feel), so the editor never calls good what a deploy refuses, or the other way
// round. Each refused cell is marked, and what is wrong is said above the table, before anyone presses Validér.
const CHECK_MS = 400;  // after the last keystroke: one request per pause, not per letter
const CHECK_URL = "/api/process-versions/validering/tabel";

export function cellCheck({ saveXML, filename, csrf, box }) {
  const marks = document.head.appendChild(document.createElement("style"));  // survives dmn-js redrawing cells
  let timer = null, asked = 0, marked = [], ids = [];
  // Only added and removed elements are watched (not attributes), so marking never wakes the observer itself.
  new MutationObserver(() => { if (ids.length || marked.length) mark(); })
    .observe(document.getElementById("laerred") || document.body, { childList: true, subtree: true });

  function cellOf(id) {
    return id ? document.querySelector(`td[data-element-id="${CSS.escape(id)}"]`) : null;
  }

  function mark() {
    // dmn-js redraws a cell (a new <td>) when its content or the table changes: mark the cells drawn now.
    const now = ids.map(cellOf).filter(Boolean);
    for (const cell of marked) {
      if (!now.includes(cell)) {
        cell.removeAttribute("aria-invalid");
        cell.removeAttribute("aria-describedby");
      }
    }
    for (const cell of now) {
      if (cell.getAttribute("aria-invalid") !== "true") cell.setAttribute("aria-invalid", "true");
      if (cell.getAttribute("aria-describedby") !== box.id) cell.setAttribute("aria-describedby", box.id);
    }
    marked = now;
  }

  function show(errors) {
    ids = errors.map((e) => e.element).filter(Boolean);
    marks.textContent = ids.map((id) => `td[data-element-id="${CSS.escape(id)}"]`).join(",\n")
      + (ids.length ? " { box-shadow: inset 0 0 0 3px #a4141c; background: #fdecec !important; }" : "");
    mark();
    box.replaceChildren();
    box.hidden = !errors.length;
    if (!errors.length) return;
    box.append(Object.assign(document.createElement("p"), {
      textContent: errors.length === 1 ? "En celle er ikke gyldig FEEL:" : `${errors.length} fejl i tabellen:`,
    }));
    const list = document.createElement("ul");
    list.append(...errors.map((e) => Object.assign(document.createElement("li"), { textContent: e.message })));
    box.append(list);
  }

  async function check() {
    const mine = ++asked;
    const body = new FormData();
    body.append("file", new File([await saveXML({})], filename, { type: "application/xml" }));
    let response;
    try {
      response = await fetch(CHECK_URL, {
        method: "POST", body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf },
      });
    } catch (_) {
      return;  // no connection: Validér and the draft say so
    }
    if (mine !== asked) return;  // a newer check is on its way
    if (response.status === 200) show([]);
    else if (response.status === 422) show((await response.json()).errors || []);
    // 401/403 (logged out): the draft's status line says it; the marks stay as they were
  }

  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(check, CHECK_MS);
    },
  };
}
