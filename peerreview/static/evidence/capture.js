// Note capture that keeps up with a live interview. Without this file the form still posts normally.
// - Everything in the form is kept on this device (localStorage) as you type, and saved to the server as your
//   private draft after a pause in typing and whenever a field loses focus.
// - On load, the server's draft (already in the form) and the copy on this device are compared: the newer wins,
//   and the page says "Draft restored from 10:42" with a button to discard it.
// - Ctrl+Enter (or Cmd+Enter) saves the note. Saving uses fetch; if it fails, the note stays on the device.
const form = document.querySelector("form[data-evidence-capture]");
if (form) {
  const key = `evidence-draft:${form.dataset.draftKey}`;
  const text = form.querySelector("textarea[name=text]");
  const status = document.getElementById("capture-status");
  const restored = document.querySelector("[data-draft-restored]");
  const discardForm = document.querySelector("form[data-draft-discard]");
  const IDLE_MS = 2000; // save to the server after this long without typing
  const FIELDS = ["text", "source_type", "leaning", "staff_groups", "source_ref", "day"];
  const OFFLINE = "Not saved: you appear to be offline. Your text is kept on this device.";
  let localTimer;
  let serverTimer;
  let inFlight = Promise.resolve();
  let dirty = false; // changed since the last draft the server accepted
  let submitting = false;

  const say = (message) => {
    if (status.textContent !== message) status.textContent = message;
  };
  const clock = (ms) => {
    const when = new Date(ms);
    const time = when.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (when.toDateString() === new Date().toDateString()) return time;
    return `${time} on ${when.toLocaleDateString("en-GB", { day: "numeric", month: "long" })}`;
  };
  const local = {
    read() {
      let raw = null;
      try {
        raw = localStorage.getItem(key);
      } catch {
        return null;
      }
      if (!raw) return null;
      try {
        const data = JSON.parse(raw);
        if (data && typeof data.text === "string") return data;
      } catch {
        // an older copy that was only the text
      }
      return { text: raw, savedAt: 0 };
    },
    write(data) {
      try {
        if (data.text.trim()) localStorage.setItem(key, JSON.stringify(data));
        else localStorage.removeItem(key);
      } catch {
        // storage full or blocked: the server draft still works
      }
    },
    remove() {
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing to do
      }
    },
  };
  const snapshot = () => {
    const data = { savedAt: Date.now() };
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (field) data[name] = field.value;
    }
    data.lines = [...form.querySelectorAll("input[name=lines]:checked")].map((box) => box.value);
    return data;
  };
  const apply = (data) => {
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (field && typeof data[name] === "string" && (data[name] !== "" || name === "text")) field.value = data[name];
    }
    if (Array.isArray(data.lines)) {
      for (const box of form.querySelectorAll("input[name=lines]")) box.checked = data.lines.includes(box.value);
    }
  };
  const showRestored = (ms) => {
    if (!restored) return;
    restored.querySelector("[data-draft-time]").textContent = clock(ms);
    restored.hidden = false;
  };

  const saveDraft = () => {
    if (submitting || !dirty) return inFlight;
    dirty = false;
    clearTimeout(localTimer);
    local.write(snapshot());
    inFlight = inFlight.then(async () => {
      if (submitting) return;
      let response;
      try {
        response = await fetch(form.dataset.draftUrl, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
      } catch {
        dirty = true;
        say(OFFLINE);
        return;
      }
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.ok && json) {
        const body = await response.json();
        say(body.empty ? "" : `Saved as draft at ${body.at}`);
      } else if (response.status === 400 && json) {
        const body = await response.json();
        say(`Not saved as a draft: ${body.errors.join(". ")}. Your text is kept on this device.`);
      } else {
        dirty = true;
        say("Not saved as a draft: you may have been signed out. Your text is kept on this device.");
      }
    });
    return inFlight;
  };

  // Reconcile the server's draft (rendered into the form) with the copy on this device: the newer wins. Compare
  // with what the server rendered (defaultValue), not the field, which the browser may refill itself on a reload.
  const serverAt = form.dataset.draftUpdated ? Date.parse(form.dataset.draftUpdated) : 0;
  const kept = local.read();
  if (kept && kept.text.trim() && kept.savedAt > serverAt && kept.text.trim() !== text.defaultValue.trim()) {
    if (!text.defaultValue.trim() || serverAt) {
      apply(kept);
      showRestored(kept.savedAt || Date.now());
      dirty = true;
      serverTimer = setTimeout(saveDraft, IDLE_MS); // bring the server's copy up to date
    }
  }

  const changed = () => {
    dirty = true;
    clearTimeout(localTimer);
    localTimer = setTimeout(() => local.write(snapshot()), 300);
    clearTimeout(serverTimer);
    serverTimer = setTimeout(saveDraft, IDLE_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", () => {
    if (!dirty) return;
    clearTimeout(serverTimer);
    saveDraft();
  });
  window.addEventListener("online", () => {
    if (dirty) saveDraft();
  });

  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(localTimer);
    clearTimeout(serverTimer);
    submitting = true;
    local.write(snapshot());
    say("Saving…");
    await inFlight; // an autosave on its way must not bring the draft back after the note is saved
    let response;
    try {
      response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      submitting = false;
      dirty = true;
      say("Not saved: you appear to be offline. Your note is kept on this device. Press Ctrl and Enter to try again.");
      return;
    }
    if (response.ok) {
      local.remove();
      window.location.assign(`${window.location.pathname}?saved=${Date.now()}`);
      return;
    }
    submitting = false;
    if (response.status === 400) {
      const body = await response.json();
      say(`Not saved: ${body.errors.join(". ")}.`);
      return;
    }
    // Signed out or another problem: fall back to a normal post so the user sees the page's message.
    form.submit();
  });

  if (discardForm) {
    discardForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearTimeout(localTimer);
      clearTimeout(serverTimer);
      submitting = true; // no autosave may recreate the draft while it is discarded
      await inFlight;
      local.remove();
      try {
        const response = await fetch(discardForm.action, {
          method: "POST",
          body: new FormData(discardForm),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
      } catch {
        discardForm.submit(); // the plain post shows what went wrong, or discards it
        return;
      }
      window.location.assign(`${window.location.pathname}?discarded=${Date.now()}`);
    });
  }
}
