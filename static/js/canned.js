// Canned reasons: picking one fills the reason field beside it (without JavaScript the server
// uses the picked text when the field is left empty).
(function () {
  if (window.cannedReasonsReady) return;
  window.cannedReasonsReady = true;
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-canned-for]")) return;
    var field = document.getElementById(select.getAttribute("data-canned-for"));
    var option = select.options[select.selectedIndex];
    if (field && option && option.value) {
      field.value = option.getAttribute("data-text");
      field.focus();
    }
  });
})();
