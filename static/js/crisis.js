// Show the help lines on the ask page as soon as the draft mentions a crisis phrase.
// The page works without this: the server shows the same box after a submit.
(function () {
  "use strict";
  const data = document.getElementById("crisis-words");
  const box = document.querySelector("[data-crisis-box]");
  if (!data || !box) return;
  const phrases = JSON.parse(data.textContent).filter(Boolean);
  if (!phrases.length) return;
  const escaped = phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp("(^|[^\\p{L}\\p{N}_])(" + escaped.join("|") + ")(?![\\p{L}\\p{N}_])", "iu");
  const fields = document.querySelectorAll("#id_title, #id_body");
  function check() {
    const text = Array.from(fields, (f) => f.value).join("\n");
    if (pattern.test(text)) box.hidden = false;
  }
  fields.forEach((field) => field.addEventListener("input", check));
  check();
})();
