// The queue's keyboard shortcuts (announced in the "Keyboard shortcuts" note, which this shows):
// j / ArrowDown and k / ArrowUp move between items, a approves, r goes to the reject or hide
// reason field (a required reason is never skipped: the form is not sent from here), o opens the
// thread, ? shows the help. Ignored while typing in a field or with a modifier key held.
// The queue works without this: every action is a button in a form.
(function () {
  "use strict";
  const items = Array.from(document.querySelectorAll("article.mod-item"));
  const help = document.querySelector("[data-keys-help]");
  if (help) help.hidden = false;
  if (!items.length) return;
  let current = -1;

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function focusItem(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove("is-current");
    current = index;
    const item = items[current];
    item.classList.add("is-current");
    if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function currentItem() {
    if (current < 0) {
      const inside = items.findIndex((item) => item.contains(document.activeElement));
      if (inside < 0) return null;
      current = inside;
    }
    return items[current];
  }

  function button(item, keys) {
    return item.querySelector(".mod-actions button[aria-keyshortcuts='" + keys + "']");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const key = event.key;
    if (key === "j" || key === "ArrowDown") {
      focusItem(current + 1 < items.length ? current + 1 : current < 0 ? 0 : current);
    } else if (key === "k" || key === "ArrowUp") {
      focusItem(current > 0 ? current - 1 : 0);
    } else if (key === "?") {
      if (help) { help.hidden = false; help.focus(); help.scrollIntoView({ block: "nearest" }); }
    } else if (key === "a" || key === "r" || key === "o") {
      const item = currentItem();
      if (!item) return;
      if (key === "o") {
        const link = item.querySelector("h3 a");
        if (link) window.location.assign(link.href);
      } else if (key === "a") {
        const approve = button(item, "A");
        if (!approve) return;
        const reason = approve.form.querySelector("input[name=reason]");
        if (reason && reason.required && !reason.value.trim()) { reason.focus(); }
        else { approve.form.requestSubmit(approve); }
      } else {
        const reject = button(item, "R");
        if (!reject) return;
        const reason = reject.form.querySelector("input[name=reason]");
        if (reason) reason.focus();  // the moderator types the reason, then Enter sends it
      }
    } else {
      return;
    }
    event.preventDefault();
  });
})();
