// Small progressive enhancements. Everything works without this file.
import { initAll } from "./vendor/govuk-frontend.min.js";

initAll();

// Warn two minutes before the idle timeout and let the user stay signed in (WCAG 2.2.1).
const body = document.body;
if (body.dataset.signedIn === "true") {
  const idle = Number(body.dataset.idleSeconds || 1800) * 1000;
  const dialog = document.getElementById("timeout-warning");
  let timer;
  const csrf = () => (document.cookie.match(/(?:^|; )(?:__Host-)?csrftoken=([^;]+)/) || [])[1] || "";
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => dialog.showModal(), Math.max(idle - 120000, 1000));
  };
  document.getElementById("timeout-stay").addEventListener("click", async () => {
    await fetch(body.dataset.keepAliveUrl, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" });
    dialog.close();
    arm();
  });
  arm();
}

// HTMX: send the CSRF token with every request.
document.body.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
