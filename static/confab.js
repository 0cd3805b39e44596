// Small enhancements; every page works without this file.
(function () {
  "use strict";
  // Counts characters as the server does: every http(s) link counts as a fixed number
  // (23), and a remote mention @user@domain counts only as @user.
  var URL_RE = /https?:\/\/\S+/g;
  var REMOTE_MENTION_RE = /(^|[^\w@\/])(@\w{1,30})@[\w.-]+\.[a-z]{2,}/gi;

  function countCharacters(text, urlWeight) {
    var normalized = text.normalize ? text.normalize("NFC") : text;
    var links = 0;
    var withoutLinks = normalized.replace(URL_RE, function () { links += 1; return ""; });
    withoutLinks = withoutLinks.replace(REMOTE_MENTION_RE, "$1$2");
    return Array.from(withoutLinks).length + links * urlWeight;
  }

  function attachCounter(textarea) {
    var limit = parseInt(textarea.getAttribute("data-count-limit"), 10);
    var counter = document.querySelector('[data-counter-for="' + textarea.id + '"]');
    if (!limit || !counter) return;
    var form = textarea.form;
    var cw = form && form.querySelector('[name="spoiler_text"]');
    function update() {
      var used = countCharacters(textarea.value, 23) + (cw ? Array.from(cw.value).length : 0);
      var left = limit - used;
      counter.textContent = left >= 0 ? left + " characters left" : -left + " characters over the limit";
      counter.classList.toggle("over", left < 0);
    }
    textarea.addEventListener("input", update);
    if (cw) cw.addEventListener("input", update);
    update();
  }

  function init(root) {
    root.querySelectorAll("textarea[data-count-limit]").forEach(attachCounter);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  window.confabCountCharacters = countCharacters;
})();

// A 422 from an htmx action carries the action bar with the reason in it: show it.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
