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

// Live timelines. A feed with data-live subscribes to its server-sent events: new posts
// appear at the top (or wait behind an "N new posts" button once the reader has scrolled
// down or paused), edits replace the text, deletions disappear. The browser's EventSource
// reconnects by itself and sends Last-Event-ID, so nothing is missed.
(function () {
  "use strict";
  if (!window.EventSource) return;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function setUnread(count) {
    var badge = document.getElementById("notification-count");
    if (badge) badge.textContent = String(count);
  }

  function liveFeed(feed) {
    var bar = document.querySelector(".new-posts");
    var pauseButton = document.querySelector(".live-pause");
    var waiting = [];
    var paused = false;

    function reading() {
      return paused || window.scrollY > 200;
    }

    function showWaiting() {
      if (!bar) return;
      bar.hidden = waiting.length === 0;
      bar.textContent = waiting.length === 1 ? "1 new post" : waiting.length + " new posts";
    }

    function insert(article) {
      if (document.getElementById(article.id)) return;
      feed.insertBefore(article, feed.firstElementChild);
      if (window.htmx) window.htmx.process(article);
    }

    function flush() {
      // Oldest first, so the newest ends on top.
      waiting.splice(0).forEach(insert);
      showWaiting();
    }

    if (bar) {
      bar.addEventListener("click", function () {
        flush();
        feed.scrollIntoView({ behavior: "smooth" });
      });
    }
    if (pauseButton) {
      pauseButton.hidden = false;
      pauseButton.addEventListener("click", function () {
        paused = !paused;
        pauseButton.setAttribute("aria-pressed", String(paused));
        pauseButton.textContent = paused ? "Resume live updates" : "Pause live updates";
        if (!paused && window.scrollY <= 200) flush();
      });
    }
    window.addEventListener("scroll", function () {
      if (!reading() && waiting.length) flush();
    }, { passive: true });

    var source = new EventSource(feed.getAttribute("data-live"));
    source.addEventListener("post", function (event) {
      var data = JSON.parse(event.data);
      var article = fragment(data.html);
      if (!article) return;
      if (reading()) {
        waiting.push(article);
        showWaiting();
      } else {
        insert(article);
      }
    });
    source.addEventListener("update", function (event) {
      var data = JSON.parse(event.data);
      document.querySelectorAll('article[data-shown-id="' + data.shown_id + '"] .content').forEach(function (node) {
        node.innerHTML = data.content_html; // cleaned by the server's allowlist
      });
    });
    source.addEventListener("delete", function (event) {
      var data = JSON.parse(event.data);
      document.querySelectorAll('article[data-shown-id="' + data.shown_id + '"], #post-' + data.id).forEach(function (node) {
        node.remove();
      });
      waiting = waiting.filter(function (node) { return node.getAttribute("data-shown-id") !== String(data.shown_id); });
      showWaiting();
    });
    source.addEventListener("unread", function (event) {
      setUnread(JSON.parse(event.data).count);
    });
    return source;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var feed = document.querySelector("[data-live]");
    if (feed) {
      liveFeed(feed);
      return;
    }
    var url = document.body.getAttribute("data-live-notifications");
    if (url) {
      new EventSource(url).addEventListener("unread", function (event) {
        setUnread(JSON.parse(event.data).count);
      });
    }
  });
})();
