// Warns a few minutes before the session ends and lets the user stay logged in (templates/core/_session_warning.html).
// Nothing typed is stored in the browser: the text stays in the form, and a save after the end is kept on the
// server until the user has logged in again (core/drafts.py).
(() => {
  const dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;

  const warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  const statusUrl = dialog.dataset.statusUrl;
  const keepButton = dialog.querySelector("[data-session-keepalive]");
  const closeButton = dialog.querySelector("[data-session-close]");
  const countdown = dialog.querySelector("[data-session-countdown]");
  const active = dialog.querySelector("[data-session-active]");
  const expired = dialog.querySelector("[data-session-expired]");
  const failed = dialog.querySelector("[data-session-failed]");
  let expiresAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let warnTimer = null;
  let tick = null;
  let returnFocus = null;
  let dismissed = false; // closed without staying: say so again only when the session has ended
  let keptAlive = false;

  const csrfToken = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  const timeLeftText = (ms) => {
    const minutes = Math.ceil(ms / 60000);
    if (ms >= 60000) return minutes === 1 ? "en minut" : `${minutes} minuter`;
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return seconds === 1 ? "en sekund" : `${seconds} sekunder`;
  };

  const schedule = () => {
    clearTimeout(warnTimer);
    const due = dismissed ? expiresAt : expiresAt - warnMs;
    warnTimer = setTimeout(check, Math.max(0, due - Date.now()));
  };

  const showState = (state) => {
    active.hidden = state !== "active";
    expired.hidden = state !== "expired";
    failed.hidden = state !== "failed";
    keepButton.hidden = state === "expired";
  };

  const update = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      clearInterval(tick);
      showState("expired");
      closeButton.focus();
      return;
    }
    countdown.textContent = timeLeftText(left);
  };

  const open = () => {
    if (!dialog.open) {
      returnFocus = document.activeElement;
      showState("active");
      dialog.showModal();
    }
    update();
    if (!expired.hidden) return;
    keepButton.focus();
    clearInterval(tick);
    tick = setInterval(update, 1000);
  };

  const close = () => {
    clearInterval(tick);
    if (dialog.open) dialog.close();
  };

  // Another tab may have kept the session going: ask before warning (the question itself is not activity).
  async function check() {
    try {
      const response = await fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const data = await response.json();
      expiresAt = Date.now() + (data.authenticated ? data.seconds_left * 1000 : 0);
      const left = expiresAt - Date.now();
      if (data.authenticated && (left > warnMs + 5000 || (dismissed && left > 1000))) {
        if (left > warnMs + 5000) dismissed = false;
        schedule();
        return;
      }
    } catch (error) {
      // Unknown: warn on the time we know of.
    }
    open();
  }

  keepButton.addEventListener("click", async () => {
    try {
      const response = await fetch(statusUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      const data = await response.json();
      if (!data.authenticated) {
        expiresAt = Date.now();
        update();
        return;
      }
      expiresAt = Date.now() + data.seconds_left * 1000;
      keptAlive = true;
      dismissed = false;
      close();
    } catch (error) {
      showState("failed");
      keepButton.focus();
    }
  });

  closeButton.addEventListener("click", close);
  dialog.addEventListener("close", () => {
    clearInterval(tick);
    if (!keptAlive) dismissed = true;
    keptAlive = false;
    if (expiresAt > Date.now()) schedule();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  });

  schedule();
})();
