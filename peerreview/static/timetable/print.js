// The timetable's "Print this timetable" button: replaces the hint for people without JavaScript.
const hint = document.getElementById("print-hint");
if (hint) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = "Print this timetable";
  button.addEventListener("click", () => window.print());
  hint.replaceWith(button);
}
