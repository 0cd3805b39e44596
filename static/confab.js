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
    // A chat room's own stream carries the notifications too (see the room client below).
    if (url && !document.querySelector("[data-room-live]")) {
      new EventSource(url).addEventListener("unread", function (event) {
        setUnread(JSON.parse(event.data).count);
      });
    }
  });
})();

// The live room of a chat session. Entries arrive under their question (a new question
// heading when one is asked), replies under the post they answer, hidden posts vanish. The
// composer's "A<n> " follows the current question until the person starts typing.
(function () {
  "use strict";
  if (!window.EventSource) return;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function liveRoom(room) {
    var groups = room.querySelector(".room-groups");
    var pauseButton = room.querySelector(".room-pause");
    var waitingNote = room.querySelector(".room-waiting");
    var composer = room.querySelector(".room-composer textarea");
    var hashtag = room.getAttribute("data-hashtag");
    var typed = false;
    var paused = false;
    var waiting = [];

    if (composer) {
      var initial = composer.value;
      composer.addEventListener("input", function () { typed = composer.value !== initial; });
      // On first focus, put the cursor after "A<n> ", before the hashtag.
      composer.addEventListener("focus", function once() {
        composer.removeEventListener("focus", once);
        var at = composer.value.indexOf(" #");
        if (!typed && at >= 0) composer.setSelectionRange(at, at);
      });
    }

    function group(number, title) {
      var key = number === null || number === undefined ? "" : String(number);
      var found = groups.querySelector('[data-question-group="' + key + '"]');
      if (found) return found;
      var empty = groups.querySelector(".room-empty");
      if (empty) empty.remove();
      found = document.createElement("section");
      found.className = "question-group";
      found.id = key ? "q" + key : "q-none";
      found.setAttribute("data-question-group", key);
      var heading = document.createElement("h2");
      heading.className = "question-heading";
      heading.textContent = key ? (title || "Q" + key) : "Before the questions";
      var answers = document.createElement("div");
      answers.className = "question-answers";
      found.appendChild(heading);
      found.appendChild(answers);
      // Keep the groups in question order, the unnumbered one first.
      var after = null;
      groups.querySelectorAll("[data-question-group]").forEach(function (other) {
        var n = other.getAttribute("data-question-group");
        if (after === null && key && n && parseInt(n, 10) > parseInt(key, 10)) after = other;
      });
      if (!key) after = groups.firstElementChild;
      groups.insertBefore(found, after);
      return found;
    }

    function setCurrent(number, text) {
      room.setAttribute("data-current-question", String(number));
      var top = room.querySelector(".current-question");
      if (top) {
        top.innerHTML = "";
        var p = document.createElement("p");
        var label = document.createElement("strong");
        label.className = "current-label";
        label.textContent = "Q" + number;
        var words = document.createElement("span");
        words.className = "current-text";
        words.textContent = " " + text;
        p.appendChild(label);
        p.appendChild(words);
        top.appendChild(p);
      }
      if (composer && !typed) {
        composer.value = "A" + number + "  #" + hashtag;
        initial = composer.value;
        composer.dispatchEvent(new Event("input"));
        typed = false;
      }
    }

    function place(data) {
      var card = fragment(data.html);
      if (!card || document.getElementById(card.id)) return;
      if (data.kind === "question") {
        var section = group(data.question, data.text);
        var heading = section.querySelector(".question-heading");
        if (heading) heading.textContent = data.text.replace(/\s#\S+$/, "");
        section.insertBefore(card, section.querySelector(".question-answers"));
        setCurrent(data.question, data.text.replace(/^Q\d+\s*/, "").replace(/\s#\S+$/, ""));
      } else {
        var parent = data.in_reply_to_id && document.getElementById("entry-" + data.in_reply_to_id);
        var replies = parent && (parent.parentNode.querySelector('[data-replies-for="' + data.in_reply_to_id + '"]') ||
          (parent.parentNode.classList.contains("room-replies") ? parent.parentNode : null));
        if (replies) {
          replies.appendChild(card);
        } else {
          var thread = document.createElement("div");
          thread.className = "room-thread";
          var under = document.createElement("div");
          under.className = "room-replies";
          under.setAttribute("data-replies-for", String(data.id));
          thread.appendChild(card);
          thread.appendChild(under);
          group(data.question).querySelector(".question-answers").appendChild(thread);
        }
      }
      if (window.htmx) window.htmx.process(card);
    }

    function showWaiting() {
      if (!waitingNote) return;
      waitingNote.hidden = waiting.length === 0;
      waitingNote.textContent = waiting.length === 1 ? "1 new post waiting" : waiting.length + " new posts waiting";
    }

    if (pauseButton) {
      pauseButton.hidden = false;
      pauseButton.addEventListener("click", function () {
        paused = !paused;
        pauseButton.setAttribute("aria-pressed", String(paused));
        pauseButton.textContent = paused ? "Resume live updates" : "Pause live updates";
        if (!paused) {
          waiting.splice(0).forEach(place);
          showWaiting();
        }
      });
    }

    function arrive(kind) {
      return function (event) {
        var data = JSON.parse(event.data);
        data.kind = kind;
        if (paused) {
          waiting.push(data);
          showWaiting();
        } else {
          place(data);
        }
      };
    }

    var source = new EventSource(room.getAttribute("data-room-live"));
    source.addEventListener("entry", arrive("entry"));
    source.addEventListener("question", arrive("question"));
    source.addEventListener("hide", function (event) {
      var data = JSON.parse(event.data);
      var card = document.getElementById("entry-" + data.post_id);
      if (card) card.remove();
      waiting = waiting.filter(function (item) { return item.id !== data.post_id; });
      showWaiting();
    });
    source.addEventListener("update", function (event) {
      // An answer was edited: its text changes in place (cleaned by the server).
      var data = JSON.parse(event.data);
      room.querySelectorAll('article[data-shown-id="' + data.shown_id + '"] .content').forEach(function (node) {
        node.innerHTML = data.content_html;
      });
    });
    source.addEventListener("delete", function (event) {
      var data = JSON.parse(event.data);
      var card = document.getElementById("entry-" + data.id);
      if (card) card.remove();
      waiting = waiting.filter(function (item) { return item.id !== data.id; });
      showWaiting();
    });
    source.addEventListener("state", function (event) {
      var data = JSON.parse(event.data);
      var label = room.querySelector(".room-state");
      if (!label) return;
      label.setAttribute("data-state", data.state);
      label.textContent = data.state === "live" ? "Live now" : data.state === "ended" ? "Ended" : "Scheduled";
    });
    source.addEventListener("lock", function (event) {
      var locked = JSON.parse(event.data).locked;
      var label = room.querySelector(".room-state");
      if (label) label.title = locked ? "Locked by the hosts" : "";
    });
    source.addEventListener("unread", function (event) {
      var badge = document.getElementById("notification-count");
      if (badge) badge.textContent = String(JSON.parse(event.data).count);
    });
    return source;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var room = document.querySelector("[data-room-live]");
    if (room) liveRoom(room);
  });
})();
