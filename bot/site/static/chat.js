/*
 * Starts rasa-webchat 1.0.1 in the #chat panel and fills the gaps it has for
 * accessibility and for our identity flow. Settings come from the panel's data
 * attributes (the CSP forbids inline scripts).
 *
 * - The conversation lives in sessionStorage ("chat_session"), so it survives a
 *   reload but not the closing of the tab. When the logged-in person changes
 *   (data-owner), the stored conversation is dropped: nobody inherits another
 *   person's conversation on a shared computer.
 * - customData.site_token is the site's short-lived token; it is refreshed in
 *   place (the widget keeps a reference to this object) before it expires.
 * - A polite live region repeats what the bot says, for screen readers; the
 *   text box, the send button and the quick replies get French names, and quick
 *   replies (plain <div>s in rasa-webchat) become keyboard buttons.
 */
(function () {
  "use strict";
  var box = document.getElementById("chat");
  var live = document.getElementById("chat-annonces");
  var state = document.getElementById("chat-etat");
  if (!box) { return; }
  if (!window.WebChat || !window.WebChat.default) {
    state.textContent = "Le chat ne peut pas s'afficher pour le moment. Vous pouvez appeler le 3949.";
    return;
  }
  var data = box.dataset;
  var owner = data.owner || "anonyme";
  try {
    if (window.sessionStorage.getItem("allocbot_chat_owner") !== owner) {
      window.sessionStorage.removeItem("chat_session");
      window.sessionStorage.setItem("allocbot_chat_owner", owner);
    }
  } catch (e) { /* storage disabled: the widget starts a new conversation */ }

  var customData = { language: "fr" };
  if (data.siteToken) { customData.site_token = data.siteToken; }

  function say(text) {
    if (!text) { return; }
    var line = document.createElement("p");
    line.textContent = text;
    live.appendChild(line);
    while (live.childNodes.length > 6) { live.removeChild(live.firstChild); }
  }

  function describe(message) {
    var text = (message && message.text) || "";
    var replies = (message && (message.quick_replies || message.buttons)) || [];
    if (replies.length) {
      text += " Choix proposés : " + replies.map(function (r) { return r.title; }).join(", ") + ".";
    }
    return text;
  }

  window.WebChat.default({
    socketUrl: data.socketUrl,
    socketPath: "/socket.io/",
    customData: customData,
    initPayload: "/greet",
    title: "allocbot",
    subtitle: "Assistant automatique (pas une personne)",
    inputTextFieldHint: "Écrivez votre message…",
    embedded: true,
    hideWhenNotConnected: false,
    params: { storage: "session" },
    customMessageDelay: function () { return 0; },
    onSocketEvent: {
      bot_uttered: function (message) { say(describe(message)); },
      connect: function () { state.textContent = ""; },
      disconnect: function () { state.textContent = "Connexion au chat perdue, nouvelle tentative…"; },
      connect_error: function () {
        state.textContent = "Le chat est momentanément indisponible. Réessayez dans quelques minutes ou appelez le 3949.";
      }
    }
  }, box);

  function label() {
    var input = box.querySelector(".rw-new-message");
    if (input && !input.getAttribute("aria-label")) { input.setAttribute("aria-label", "Votre message"); }
    var send = box.querySelector(".rw-send");
    if (send && !send.getAttribute("aria-label")) { send.setAttribute("aria-label", "Envoyer le message"); }
    var messages = box.querySelector(".rw-messages-container");
    if (messages && !messages.getAttribute("aria-label")) {
      messages.setAttribute("aria-label", "Conversation avec allocbot");
      messages.setAttribute("role", "region");
      messages.setAttribute("tabindex", "0");
    }
    box.querySelectorAll("div.rw-reply:not([role])").forEach(function (reply) {
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
    });
  }
  box.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("rw-reply") && target.tagName === "DIV" &&
        (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      target.click();
    }
  });
  new MutationObserver(label).observe(box, { childList: true, subtree: true });
  label();

  if (data.tokenUrl) {
    var refreshMs = Math.max(30, parseInt(data.refreshSeconds, 10) || 300) * 1000;
    var fetchedAt = Date.now();
    var refresh = function () {
      window.fetch(data.tokenUrl, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": data.csrf }
      }).then(function (response) {
        if (response.status === 401) { window.location.assign("/connexion"); return null; }
        return response.ok ? response.json() : null;
      }).then(function (body) {
        if (body && body.site_token) { customData.site_token = body.site_token; fetchedAt = Date.now(); }
      }).catch(function () { /* offline: retried at the next tick */ });
    };
    window.setInterval(refresh, refreshMs);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && Date.now() - fetchedAt > refreshMs) { refresh(); }
    });
  }
}());
