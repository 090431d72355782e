/* After logout: forget this tab's conversation, so the next person starts a new one. */
(function () {
  "use strict";
  try {
    window.sessionStorage.removeItem("chat_session");
    window.sessionStorage.removeItem("allocbot_chat_owner");
    window.localStorage.removeItem("chat_session");
  } catch (e) { /* storage disabled: nothing was kept */ }
}());
