// Tell an expert at once that a photo is too large, before a 5 MB upload crosses a slow phone
// connection. The page works without this: the server refuses it with the same words beside the field.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    const limit = Number(input.dataset.maxBytes);
    const form = input.form;
    function clear() {
      const old = form.querySelector("[data-photo-size-error]");
      if (old) old.remove();
      input.removeAttribute("aria-invalid");
    }
    input.addEventListener("change", clear);
    form.addEventListener("submit", function (event) {
      const file = input.files && input.files[0];
      clear();
      if (!file || file.size <= limit) return;
      event.preventDefault();
      const error = document.createElement("ul");
      error.className = "errorlist";
      error.id = input.id + "_size_error";
      error.setAttribute("data-photo-size-error", "");
      error.setAttribute("role", "alert");
      const item = document.createElement("li");
      item.textContent = input.dataset.tooLarge;
      error.appendChild(item);
      input.before(error);
      input.setAttribute("aria-invalid", "true");
      input.focus();
    });
  });
})();
