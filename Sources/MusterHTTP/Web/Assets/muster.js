// Muster's pages work without this script; it adds local times, live countdowns, live updates,
// confirmations, the impact matrix's proposal and keyboard shortcuts.
"use strict";

(function () {
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  function span(seconds) {
    const total = Math.max(0, Math.floor(seconds));
    if (total < 60) return total + " s";
    const minutes = Math.floor(total / 60);
    if (minutes < 60) return minutes + " min";
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 === 0 ? hours + " h" : hours + " h " + (minutes % 60) + " min";
    return hours % 24 === 0 ? Math.floor(hours / 24) + " d" : Math.floor(hours / 24) + " d " + (hours % 24) + " h";
  }

  // Times in the viewer's zone; UTC stays on hover.
  function localTimes(root) {
    root.querySelectorAll("time[datetime]:not([data-age])").forEach(function (element) {
      if (element.dataset.local) return;
      const date = new Date(element.getAttribute("datetime"));
      if (isNaN(date)) return;
      element.title = element.getAttribute("datetime").replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
      element.textContent = dateTime.format(date);
      element.dataset.local = "1";
    });
  }

  // Countdowns to response targets, and ages, every second.
  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (element) {
      const left = (new Date(element.dataset.deadline).getTime() - now) / 1000;
      const text = element.querySelector(".countdown") || element;
      const update = element.dataset.words === "update";
      if (left >= 0) {
        text.textContent = update ? "due in " + span(left) : span(left) + " left";
      } else {
        text.textContent = update ? span(-left) + " late" : "breached by " + span(-left);
        element.classList.remove("target-running");
        element.classList.add("target-breached");
      }
    });
    document.querySelectorAll("time[data-age]").forEach(function (element) {
      element.textContent = span((now - new Date(element.getAttribute("datetime")).getTime()) / 1000);
    });
  }

  // Forms say in which zone their times were typed.
  function zones(root) {
    const offset = String(new Date().getTimezoneOffset());
    root.querySelectorAll("input[name=tz]").forEach(function (input) { input.value = offset; });
  }

  // Only the fields that make sense for the kind of timeline entry.
  function entryKinds(root) {
    const kind = root.querySelector("#entry-kind");
    if (!kind) return;
    const show = function () {
      root.querySelectorAll("[data-kind-only]").forEach(function (element) {
        element.hidden = element.dataset.kindOnly !== kind.value;
      });
    };
    kind.addEventListener("change", show);
    show();
  }

  // The severity the impact matrix proposes, as the impact is assessed.
  function matrix() {
    const form = document.getElementById("form-declare");
    if (!form) return;
    const proposal = document.getElementById("proposal");
    const update = function () {
      const users = form.querySelector("input[name=userImpact]:checked");
      const business = form.querySelector("input[name=businessImpact]:checked");
      form.querySelectorAll(".matrix td").forEach(function (cell) { cell.classList.remove("proposed"); });
      if (!users || !business) return;
      const cell = form.querySelector('.matrix td[data-users="' + users.value + '"][data-business="' + business.value + '"]');
      if (!cell) return;
      cell.classList.add("proposed");
      const severity = cell.textContent.trim();
      const select = form.querySelector("select[name=severity]");
      const chosen = select.value;
      proposal.textContent = "The matrix proposes " + severity + "." +
        (chosen && chosen !== severity ? " You chose " + chosen + " instead." : "");
    };
    form.addEventListener("change", update);
    update();
  }

  // The update composer shows the update as it will read while it is written.
  function composer() {
    const form = document.getElementById("form-update");
    if (!form) return;
    let timer = null;
    const preview = function () {
      const data = new URLSearchParams(new FormData(form));
      data.set("intent", "preview");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("update-preview");
          const box = document.getElementById("update-preview");
          if (fresh && box) box.innerHTML = fresh.innerHTML;
        })
        .catch(function () {});
    };
    const later = function () {
      clearTimeout(timer);
      timer = setTimeout(preview, 400);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  // Irreversible actions ask first.
  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Keyboard shortcuts, never while typing.
  function toggleShortcuts(show) {
    const overlay = document.getElementById("shortcuts");
    if (!overlay) return;
    overlay.hidden = show === undefined ? !overlay.hidden : !show;
    if (!overlay.hidden) overlay.querySelector("button").focus();
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-shortcuts]")) toggleShortcuts(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { toggleShortcuts(false); return; }
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const go = function (selector) {
      const element = document.querySelector(selector);
      if (!element) return false;
      event.preventDefault();
      const details = element.closest("details");
      if (details) details.open = true;
      element.focus();
      if (element.scrollIntoView) element.scrollIntoView({ block: "center" });
      return true;
    };
    switch (event.key) {
      case "?": event.preventDefault(); toggleShortcuts(); break;
      case "a": go('[data-shortcut="a"]'); break;
      case "n": go('[data-shortcut="n"]'); break;
      case "s": go('[data-shortcut="s"]'); break;
      case "i": window.location.href = "/incidents"; break;
      case "d": window.location.href = "/incidents/new"; break;
    }
  });

  // Live: the server says when something changed; the page fetches itself again and swaps the
  // parts nobody is typing in.
  const dirty = new WeakSet();
  document.addEventListener("input", function (event) {
    const form = event.target.closest && event.target.closest("form");
    if (form) dirty.add(form);
  });

  function busy(region) {
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return true;
    return Array.prototype.some.call(region.querySelectorAll("form"), function (form) { return dirty.has(form); });
  }

  // The server's own HTML of each live part, to tell whether a fresh copy differs.
  const raw = {};

  function live() {
    const root = document.querySelector("[data-live]");
    if (!root || !window.EventSource) return;
    let pending = false;
    let last = 0;
    const refresh = function () {
      if (pending) return;
      const wait = Math.max(0, 1500 - (Date.now() - last));
      pending = true;
      setTimeout(function () {
        last = Date.now();
        fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            pending = false;
            if (!html) return;
            const fresh = new DOMParser().parseFromString(html, "text/html");
            Array.prototype.forEach.call(document.querySelectorAll("[data-live-region]"), function (region) {
              const replacement = region.id && fresh.getElementById(region.id);
              if (!replacement || busy(region)) return;
              // Unchanged parts stay as they are, with whatever the person opened in them.
              if (raw[region.id] === replacement.outerHTML) return;
              raw[region.id] = replacement.outerHTML;
              const open = Array.prototype.map.call(region.querySelectorAll("details[open][id]"), function (d) { return d.id; });
              region.replaceWith(replacement);
              open.forEach(function (id) {
                const details = document.getElementById(id);
                if (details) details.open = true;
              });
              localTimes(replacement);
              zones(replacement);
              entryKinds(replacement);
            });
            document.body.dataset.liveAt = String(Date.now());
          })
          .catch(function () { pending = false; });
      }, wait);
    };
    const source = new EventSource(root.dataset.live);
    source.addEventListener("change", refresh);
    source.addEventListener("open", function () { document.body.dataset.live = "connected"; });
  }

  function start() {
    document.querySelectorAll("[data-live-region]").forEach(function (region) { raw[region.id] = region.outerHTML; });
    localTimes(document);
    zones(document);
    entryKinds(document);
    matrix();
    composer();
    tick();
    setInterval(tick, 1000);
    live();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
