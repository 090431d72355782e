// Counsellor console: refreshes the queue and the live conversation every two
// seconds, and sends the reply box with the page's CSRF token. No inline script
// (the Content-Security-Policy forbids it); every text is set with textContent.
"use strict";

(function () {
  const POLL_MS = 2000;
  const SENDERS = new Set(["user", "bot", "counsellor"]);

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function every(ms, task) {
    let busy = false;
    setInterval(async function () {
      if (busy) return;
      busy = true;
      try { await task(); } catch (error) { /* the next tick retries */ } finally { busy = false; }
    }, ms);
  }

  async function get(url, accept) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: accept } });
    if (response.status === 401) { window.location.assign("/login"); return null; }
    return response.ok ? response : null;
  }

  // --- queue -------------------------------------------------------------------
  const queue = document.getElementById("queue");
  if (queue) {
    const status = document.getElementById("queue-status");
    let last = null;
    let waiting = waitingCount();
    every(POLL_MS, async function () {
      const response = await get(queue.dataset.refresh, "text/html");
      if (!response) return;
      const html = await response.text();
      if (html === last) return;
      last = html;
      const focused = queue.contains(document.activeElement) ? document.activeElement.id : "";
      queue.innerHTML = html;  // rendered and escaped by the server's templates
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      const now = waitingCount();
      if (now !== waiting) {
        status.textContent = now + (now > 1 ? " tickets en attente" : " ticket en attente");
        waiting = now;
      }
    });
  }

  function waitingCount() {
    const count = document.querySelector("#en-attente-titre .count");
    return count ? Number(count.dataset.count) : 0;
  }

  // --- ticket page ----------------------------------------------------------------
  const ticket = document.getElementById("ticket");
  if (!ticket) return;
  const list = document.getElementById("messages");
  const empty = document.getElementById("no-messages");
  const seen = new Set(Array.from(list.querySelectorAll("li[data-key]"), function (li) { return li.dataset.key; }));
  list.scrollTop = list.scrollHeight;
  const before = document.querySelector(".transcript");
  if (before) before.scrollTop = before.scrollHeight;  // the latest lines, the handover request, first in view

  function render(message) {
    const item = document.createElement("li");
    item.className = "message from-" + (SENDERS.has(message.sender) ? message.sender : "bot");
    item.dataset.key = message.key;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = message.who;
    const at = document.createElement("span");
    at.className = "at";
    at.textContent = message.at;
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text;
    item.append(who, " ", at, text);
    return item;
  }

  async function refresh() {
    const response = await get(ticket.dataset.refresh, "application/json");
    if (!response) return;
    const data = await response.json();
    let added = false;
    for (const message of data.messages) {
      if (seen.has(message.key)) continue;
      seen.add(message.key);
      list.appendChild(render(message));
      added = true;
    }
    if (added) {
      empty.hidden = true;
      list.scrollTop = list.scrollHeight;
    }
    document.getElementById("ticket-status").textContent =
      data.status_label + (data.status === "taken" && data.holder ? " par " + data.holder : "");
    document.getElementById("bot-state").textContent = data.paused ? "en pause (silencieux)" : "actif";
  }
  every(POLL_MS, refresh);

  const form = document.getElementById("reply-form");
  if (!form) return;
  const text = document.getElementById("reply-text");
  const error = document.getElementById("reply-error");

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    error.hidden = true;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
        body: new URLSearchParams(new FormData(form)),
      });
      if (response.ok) {
        text.value = "";
        await refresh();
      } else {
        const body = await response.json().catch(function () { return {}; });
        showError(body.message || "Le message n'a pas pu être envoyé. Réessayez.");
      }
    } catch (failure) {
      showError("Le message n'a pas pu être envoyé : vérifiez la connexion puis réessayez.");
    } finally {
      button.disabled = false;
      text.focus();
    }
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
