// Show a progress message while the season plan is being worked out (the POST runs for up to 30 seconds).
const form = document.getElementById("season-form");
if (form) {
  form.addEventListener("submit", () => {
    const note = document.getElementById("season-progress");
    if (note) note.hidden = false;
  });
}
