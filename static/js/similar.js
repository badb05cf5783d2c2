// Show published questions like the one being typed, under the title field, as the asker types.
// The page works without this: "Check for similar questions" asks the server for the same list.
(function () {
  "use strict";
  const region = document.getElementById("similar-questions");
  const title = document.getElementById("id_title");
  // The draft title goes in a POST body, never in a URL (access logs keep URLs), with the ask
  // form's own CSRF token.
  const csrf = title && title.form && title.form.querySelector('input[name="csrfmiddlewaretoken"]');
  if (!region || !title || !csrf || !window.fetch) return;
  const url = region.dataset.similarUrl;
  const MIN_LENGTH = 10;
  // As the server counts (forum.core.text.minimum_length): fewer for Chinese, Japanese, Korean.
  const COMPACT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  const COMPACT_MIN_LENGTH = 4;
  const DELAY_MS = 400;
  let timer = null;
  let controller = null;
  let lastAsked = "";

  function show(questions) {
    region.replaceChildren();
    if (!questions.length) return;
    const heading = document.createElement("p");
    heading.className = "similar-heading";
    heading.textContent = gettext("Already asked — one of these may answer you:");
    const list = document.createElement("ul");
    questions.forEach(function (question) {
      const link = document.createElement("a");
      link.href = question.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.dir = "auto"; // a title in any script reads right inside the page
      link.textContent = question.title;
      const hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " " + gettext("(opens in a new tab)");
      link.appendChild(hint);
      const item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    region.append(heading, list);
  }

  function ask() {
    const text = title.value.trim();
    if (text === lastAsked) return;
    lastAsked = text;
    if (controller) controller.abort();
    if (Array.from(text).length < (COMPACT.test(text) ? COMPACT_MIN_LENGTH : MIN_LENGTH)) {
      show([]);
      return;
    }
    controller = new AbortController();
    fetch(url, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrf.value },
      body: new URLSearchParams({ title: text }),
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { questions: [] };
      })
      .then(function (data) {
        show(data.questions || []);
      })
      .catch(function () {
        // Aborted by a newer keystroke, or offline: leave the list as it is.
      });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
  // A title already there when the script starts (typed before it loaded, or restored by the
  // browser on Back) gets its suggestions too.
  if (title.value.trim()) ask();
})();
