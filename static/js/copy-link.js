// The private page's "Copy link" button. Without JavaScript the button stays hidden and the
// full link is shown as selectable text; with it, one press copies the link and says so.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-link]").forEach(function (box) {
    const button = box.querySelector("[data-copy-target]");
    const status = box.querySelector("[data-copy-status]");
    const target = button && document.getElementById(button.dataset.copyTarget);
    if (!target || !status) return;

    function selectLink() {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }

    function announce(text) {
      // Cleared first so the same words are announced again on a second press.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function fallback() {
      selectLink();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      announce(copied ? gettext("Copied") : gettext("Selected: use your device's Copy to keep it"));
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      const text = target.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          selectLink();
          announce(gettext("Copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
