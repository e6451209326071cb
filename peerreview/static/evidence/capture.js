// Note capture that keeps up with a live interview. Without this file the form still posts normally.
// - The note text is kept in localStorage as you type, per session, so a reload or a dropped connection loses nothing.
// - Ctrl+Enter (or Cmd+Enter) saves. Saving uses fetch; if it fails, the draft stays on the device.
const form = document.querySelector("form[data-evidence-capture]");
if (form) {
  const key = `evidence-draft:${form.dataset.draftKey}`;
  const text = form.querySelector("textarea[name=text]");
  const status = document.getElementById("capture-status");
  const say = (message) => { status.textContent = message; };
  let timer;

  const saved = localStorage.getItem(key);
  if (saved && !text.value.trim()) {
    text.value = saved;
    say("We restored a note you had not saved yet.");
  }
  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (text.value.trim()) localStorage.setItem(key, text.value);
      else localStorage.removeItem(key);
      say("Draft kept on this device.");
    }, 300);
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer); // a pending draft write must not bring the note back after it is saved
    if (text.value.trim()) localStorage.setItem(key, text.value);
    say("Saving…");
    let response;
    try {
      response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      say("Not saved: there is no connection. Your note is kept on this device. Press Ctrl and Enter to try again.");
      return;
    }
    if (response.ok) {
      localStorage.removeItem(key);
      window.location.assign(`${window.location.pathname}?saved=${Date.now()}`);
      return;
    }
    if (response.status === 400) {
      const body = await response.json();
      say(`Not saved: ${body.errors.join(". ")}.`);
      return;
    }
    // Signed out or another problem: fall back to a normal post so the user sees the page's message.
    form.submit();
  });
}
