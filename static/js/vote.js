// Vote without reloading the page. The forms work without this file; it only enhances them.
(function () {
  "use strict";
  document.addEventListener("submit", async function (event) {
    const form = event.target.closest(".vote-form");
    if (!form) return;
    event.preventDefault();
    const box = form.closest("[data-vote]");
    // Busy, not disabled: disabling the focused button would drop keyboard focus to the page.
    if (box.dataset.busy) return;
    box.dataset.busy = "1";
    box.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || gettext("Your vote was not saved."));
      const score = box.querySelector(".vote-score");
      score.lastChild.textContent = String(data.score);
      const forms = box.querySelectorAll(".vote-form");
      const [up, down] = forms;
      up.querySelector("button").setAttribute("aria-pressed", String(data.vote === 1));
      down.querySelector("button").setAttribute("aria-pressed", String(data.vote === -1));
      up.querySelector("input[name=value]").value = data.vote === 1 ? "0" : "1";
      down.querySelector("input[name=value]").value = data.vote === -1 ? "0" : "-1";
    } catch (error) {
      let note = box.querySelector(".vote-error");
      if (!note) {
        note = document.createElement("p");
        note.className = "vote-error";
        note.setAttribute("role", "alert");
        box.appendChild(note);
      }
      note.textContent = error.message;
    } finally {
      delete box.dataset.busy;
      box.removeAttribute("aria-busy");
    }
  });
})();
