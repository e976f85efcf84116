// Saves a task form as the caseworker's draft while they type, so a long form survives a break, a
// closed tab or the idle log-out. Saving counts as activity, so typing keeps the session alive.
(() => {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const QUIET_MS = 2000;      // after a field is left or changed
  const TYPING_MS = 30000;    // at the latest, while someone keeps typing
  let dirty = false, saving = false, quietTimer = null, typingTimer = null;

  const say = (text) => { if (status) status.textContent = text; };
  const clock = () => new Date().toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });

  async function save() {
    clearTimeout(quietTimer); clearTimeout(typingTimer); quietTimer = typingTimer = null;
    if (saving) {  // typed during a save: save again once it is done
      if (dirty) quietTimer = setTimeout(save, QUIET_MS);
      return;
    }
    if (!dirty) return;
    saving = true; dirty = false;
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual",
      });
      if (response.status === 204) {
        say(`Kladden er gemt automatisk kl. ${clock()}.`);
      } else {
        dirty = true;
        say(response.type === "opaqueredirect"
          ? "Du er logget ud, og kladden kunne ikke gemmes. Log ind i et nyt vindue, og tryk så «Gem kladde»."
          : "Kladden kunne ikke gemmes automatisk. Tryk «Gem kladde».");
      }
    } catch (_) {
      dirty = true;
      say("Ingen forbindelse: kladden er ikke gemt. Prøv «Gem kladde» om lidt.");
    } finally {
      saving = false;
    }
  }

  function changed(quietly) {
    dirty = true;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(save, quietly ? QUIET_MS : TYPING_MS);
    if (!typingTimer) typingTimer = setTimeout(save, TYPING_MS);
  }

  form.addEventListener("input", () => changed(false));
  form.addEventListener("change", () => changed(true));
  form.addEventListener("submit", () => { dirty = false; clearTimeout(quietTimer); clearTimeout(typingTimer); });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
