// Close as duplicate: search as you type. Fetches this same page with ?q=… and swaps in its
// list of candidates; without JavaScript the Search button does the same with a page load.
(function () {
  var input = document.querySelector("[data-duplicate-search]");
  var list = document.getElementById("dup-candidates");
  if (!input || !list || !window.fetch || !window.DOMParser) return;
  var timer = null;
  var latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var ticket = ++latest;
      var url = window.location.pathname + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html || ticket !== latest) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("dup-candidates");
          if (fresh) list.replaceChildren.apply(list, Array.prototype.slice.call(fresh.childNodes));
          var kept = document.querySelector('form[method="post"] input[name="q"]');
          if (kept) kept.value = input.value;
        });
    }, 250);
  });
})();
