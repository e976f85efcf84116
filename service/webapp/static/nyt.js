// New tasks and notices without reload: the page asks /api/indbakke/status every data-interval seconds (and at once
// when the tab is shown again; never while hidden), updates the header's number and says politely that something
// new has come, with a link. It never reloads by itself: a caseworker may be in the middle of a form.
(function () {
  var body = document.body;
  var url = body.getAttribute("data-status");
  var region = document.getElementById("nyt");
  if (!url || !region || !window.fetch) { return; }
  var seconds = Math.max(1, parseInt(body.getAttribute("data-interval"), 10) || 30);
  var newestTask = Date.parse(body.getAttribute("data-nyeste-opgave") || "") || 0;
  var newestNotice = parseInt(body.getAttribute("data-nyeste-besked"), 10) || 0;
  var badge = document.getElementById("indbakke-antal");
  var lastCount = badge ? parseInt(badge.textContent, 10) || 0 : 0;
  var timer = null;
  var stopped = false;

  function announce() {
    // The inbox itself is reloaded with its filters and page; from elsewhere the link leads to it.
    var target = location.pathname === "/indbakke" ? location.pathname + location.search : "/indbakke";
    var link = document.createElement("a");
    link.href = target;
    link.textContent = "opdatér indbakken";
    var text = document.createElement("p");
    text.className = "besked";
    text.appendChild(document.createTextNode("Nye opgaver eller beskeder – "));
    text.appendChild(link);
    region.replaceChildren(text);
  }

  function update(status) {
    if (badge) { badge.textContent = String(status.opgaver); }
    var task = status.nyeste_opgave ? Date.parse(status.nyeste_opgave) : 0;
    var notice = status.nyeste_besked || 0;
    // A newer task or notice; or more tasks (two made in the same instant have the same time).
    var more = status.opgaver > lastCount;
    lastCount = status.opgaver;
    if (task > newestTask || notice > newestNotice || more) {
      newestTask = Math.max(task, newestTask);
      newestNotice = Math.max(notice, newestNotice);
      announce();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!stopped && document.visibilityState !== "hidden") { timer = setTimeout(poll, seconds * 1000); }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) { stopped = true; return null; }  // logged out: quiet
      return answer.ok ? answer.json() : null;
    }).then(function (status) {
      if (status) { update(status); }
    }).catch(function () { /* offline for a moment: the next round tries again */ }).then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { clearTimeout(timer); } else if (!stopped) { poll(); }
  });
  schedule();
})();
