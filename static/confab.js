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

// Post ids are 64-bit snowflakes, beyond what a JavaScript number holds exactly (2^53):
// JSON.parse would round 913628355489415168 to 913628355489415200. Read the id fields of
// our events as strings before parsing (inside the JSON-encoded HTML their quotes are
// escaped, so the pattern cannot match there).
function confabEventData(text) {
  return JSON.parse(text.replace(/"(id|shown_id|post_id|in_reply_to_id)":(\d+)/g, '"$1":"$2"'));
}

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
      var data = confabEventData(event.data);
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
      var data = confabEventData(event.data);
      document.querySelectorAll('article[data-shown-id="' + data.shown_id + '"] .content').forEach(function (node) {
        node.innerHTML = data.content_html; // cleaned by the server's allowlist
      });
    });
    source.addEventListener("delete", function (event) {
      var data = confabEventData(event.data);
      document.querySelectorAll('article[data-shown-id="' + data.shown_id + '"], #post-' + data.id).forEach(function (node) {
        node.remove();
      });
      waiting = waiting.filter(function (node) { return node.getAttribute("data-shown-id") !== String(data.shown_id); });
      showWaiting();
    });
    source.addEventListener("unread", function (event) {
      setUnread(confabEventData(event.data).count);
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
    if (url && !document.querySelector("[data-room-live], [data-conversations-live]")) {
      new EventSource(url).addEventListener("unread", function (event) {
        setUnread(confabEventData(event.data).count);
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

    // A host's page carries their buttons once, in a <template>: live cards are shared by
    // every reader, so the host's copy gets "Hide" and "Mute" here, from the card's data.
    var moderation = document.getElementById("room-moderation");

    function addModeration(card) {
      if (!moderation || !moderation.content.firstElementChild) return;
      var tools = moderation.content.firstElementChild.cloneNode(true);
      var hide = tools.querySelector('[data-moderate="hide"]');
      var mute = tools.querySelector('[data-moderate="mute"]');
      var acct = card.getAttribute("data-acct") || "";
      hide.setAttribute("action", moderation.getAttribute("data-hide-url").replace("{post}", card.getAttribute("data-post-id")));
      if (mute && (card.getAttribute("data-role") || !acct)) {
        mute.remove();  // hosts and guests are not muted from their own room
      } else if (mute) {
        mute.setAttribute("action", moderation.getAttribute("data-mute-url").replace("{acct}", encodeURIComponent(acct)));
        mute.querySelector(".moderate-acct").textContent = acct;
      }
      card.appendChild(tools);
    }

    // Someone new in the room joins the participants list, with the page's badges.
    var people = room.querySelector(".participants");
    var peopleCount = room.querySelector(".participant-count");

    function addParticipant(card, data) {
      var acct = card.getAttribute("data-acct");
      if (!people || !acct) return;
      var known = false;
      people.querySelectorAll("li[data-acct]").forEach(function (item) {
        if (item.getAttribute("data-acct") === acct) known = true;
      });
      if (known) return;
      var empty = people.querySelector("li.empty");
      if (empty) empty.remove();
      var author = card.querySelector(".who .display-name") || card.querySelector(".display-name");
      var item = document.createElement("li");
      item.setAttribute("data-acct", acct);
      var link = document.createElement("a");
      link.setAttribute("href", author ? author.getAttribute("href") : "/@" + acct);
      link.textContent = author ? author.textContent.trim() : acct;
      var handle = document.createElement("span");
      handle.className = "acct";
      handle.textContent = "@" + acct;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(handle);
      function badge(className, text) {
        var mark = document.createElement("span");
        mark.className = "badge " + className;
        mark.textContent = text;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(mark);
      }
      if (data.role === "host") badge("host-badge", "Host");
      else if (data.role === "guest") badge("guest-badge", "Guest");
      if (data.first_timer) badge("first-time-badge", "First time");
      people.appendChild(item);
      if (peopleCount) peopleCount.textContent = String(people.querySelectorAll("li[data-acct]").length);
    }

    function place(data) {
      var card = fragment(data.html);
      if (!card || document.getElementById(card.id)) return;
      addParticipant(card, data);
      if (data.kind !== "question") addModeration(card);
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
        var data = confabEventData(event.data);
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
      var data = confabEventData(event.data);
      var card = document.getElementById("entry-" + data.post_id);
      if (card) card.remove();
      waiting = waiting.filter(function (item) { return item.id !== data.post_id; });
      showWaiting();
    });
    source.addEventListener("update", function (event) {
      // An answer was edited: its text changes in place (cleaned by the server).
      var data = confabEventData(event.data);
      room.querySelectorAll('article[data-shown-id="' + data.shown_id + '"] .content').forEach(function (node) {
        node.innerHTML = data.content_html;
      });
    });
    source.addEventListener("move", function (event) {
      // An edited answer now names another question ("A1" became "A2"): it moves there,
      // with its replies; a reply stays under the post it answers.
      var data = confabEventData(event.data);
      waiting.forEach(function (item) { if (item.id === data.post_id) item.question = data.question; });
      var card = document.getElementById("entry-" + data.post_id);
      if (!card) return;
      card.setAttribute("data-question", data.question === null ? "" : String(data.question));
      var thread = card.parentNode;
      if (!thread || !thread.classList.contains("room-thread")) return;
      group(data.question).querySelector(".question-answers").appendChild(thread);
    });
    source.addEventListener("delete", function (event) {
      var data = confabEventData(event.data);
      var card = document.getElementById("entry-" + data.id);
      if (card) card.remove();
      waiting = waiting.filter(function (item) { return item.id !== data.id; });
      showWaiting();
    });
    source.addEventListener("state", function (event) {
      var data = confabEventData(event.data);
      var label = room.querySelector(".room-state");
      if (!label) return;
      label.setAttribute("data-state", data.state);
      label.textContent = data.state === "live" ? "Live now" : data.state === "ended" ? "Ended" : "Scheduled";
    });
    source.addEventListener("lock", function (event) {
      var locked = confabEventData(event.data).locked;
      var label = room.querySelector(".room-state");
      if (label) label.title = locked ? "Locked by the hosts" : "";
    });
    source.addEventListener("unread", function (event) {
      var badge = document.getElementById("notification-count");
      if (badge) badge.textContent = String(confabEventData(event.data).count);
    });
    return source;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var room = document.querySelector("[data-room-live]");
    if (room) liveRoom(room);
  });
})();

// Hashtag completion in the composer: typing "#edu" offers the hashtags that start so.
// Arrow keys move, Enter or Tab takes one, Escape closes; without this file the
// composer is a plain textarea and works the same.
(function () {
  "use strict";
  var TOKEN = /(^|[^\w#&])#([\p{L}\p{N}_]{1,100})$/u;
  var counter = 0;

  function attach(box) {
    var textarea = box.querySelector("textarea");
    var url = box.getAttribute("data-hashtag-complete");
    if (!textarea || !url || !window.fetch) return;
    counter += 1;
    var list = document.createElement("ul");
    list.id = "tag-suggestions-" + counter;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Hashtag suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    box.classList.add("tag-complete");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    var active = -1;
    var timer = null;
    var asked = "";

    function options() { return list.querySelectorAll("li"); }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, n) { item.setAttribute("aria-selected", String(n === active)); });
      textarea.setAttribute("aria-activedescendant", items[active].id);
    }

    function token() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = before.match(TOKEN);
      return match ? match[2] : "";
    }

    function choose(item) {
      var name = item.getAttribute("data-name");
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/#[\p{L}\p{N}_]*$/u, "#" + name + " ");
      textarea.value = before + textarea.value.slice(caret).replace(/^[\p{L}\p{N}_]*\s?/u, "");
      textarea.setSelectionRange(before.length, before.length);
      close();
      textarea.dispatchEvent(new Event("input"));
      textarea.focus();
    }

    function show(tags) {
      close();
      tags.forEach(function (tag, n) {
        var item = document.createElement("li");
        item.id = list.id + "-" + n;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-name", tag.display_name);
        item.textContent = "#" + tag.display_name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the textarea
          choose(item);
        });
        list.appendChild(item);
      });
      list.hidden = tags.length === 0;
      status.textContent = tags.length ? tags.length + " hashtag suggestions; arrow keys to choose" : "";
    }

    function lookUp() {
      var word = token();
      if (!word) { asked = ""; close(); return; }
      if (word === asked) return;
      asked = word;
      fetch(url + "?q=" + encodeURIComponent(word), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { hashtags: [] }; })
        .then(function (data) {
          if (token() !== word) return; // typed on meanwhile
          // Nothing to offer when the only match is what is typed already.
          var tags = data.hashtags.filter(function (t) { return t.display_name !== word; });
          show(tags);
        })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 120);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape") { close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // Onboarding: a time zone field still saying UTC gets the browser's own zone.
  function guessZone(input) {
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && (!input.value || input.value === "UTC")) input.value = zone;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-hashtag-complete]").forEach(attach);
    document.querySelectorAll("[data-guess-time-zone]").forEach(guessZone);
  });
})();

// Direct conversations. The inbox reloads its list when a message arrives or is read; an
// open conversation appends new messages (and marks them read), applies edits and
// deletions. The nav badges follow the counts the stream carries.
(function () {
  "use strict";
  if (!window.EventSource) return;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function setCount(id, count) {
    var badge = document.getElementById(id);
    if (badge) badge.textContent = String(count);
  }

  function csrfHeaders() {
    var raw = document.body.getAttribute("hx-headers");
    try { return raw ? JSON.parse(raw) : {}; } catch (e) { return {}; }
  }

  function refreshInbox(section) {
    var url = section.getAttribute("data-inbox") + "?fragment=list";
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) section.innerHTML = html; });
  }

  function attach(section) {
    var source = new EventSource(section.getAttribute("data-conversations-live"));
    var openId = section.getAttribute("data-conversation-id");
    function mine(data) { return openId && String(data.conversation_id) === openId; }
    function counts(data) { if ("total" in data) setCount("message-count", data.total); }

    source.addEventListener("message", function (event) {
      var data = confabEventData(event.data);
      counts(data);
      if (!openId) { refreshInbox(section); return; }
      if (!mine(data) || document.getElementById("post-" + data.id)) return;
      var article = fragment(data.html);
      if (!article) return;
      var empty = section.querySelector(".empty");
      if (empty) empty.remove();
      section.appendChild(article);
      if (window.htmx) window.htmx.process(article);
      var replyTo = document.querySelector('.composer input[name="in_reply_to_id"]');
      if (replyTo) replyTo.value = data.id;
      var headers = csrfHeaders();
      headers["HX-Request"] = "true";
      fetch(section.getAttribute("data-mark-read"), {
        method: "POST", headers: headers, credentials: "same-origin"
      });
    });
    source.addEventListener("message_update", function (event) {
      var data = confabEventData(event.data);
      document.querySelectorAll("#post-" + data.id + " .content").forEach(function (node) {
        node.innerHTML = data.content_html; // cleaned by the server's allowlist
      });
      if (!openId) refreshInbox(section);
    });
    source.addEventListener("message_delete", function (event) {
      var data = confabEventData(event.data);
      var node = document.getElementById("post-" + data.id);
      if (node) node.remove();
      if (!openId) refreshInbox(section);
    });
    source.addEventListener("read", function (event) {
      var data = confabEventData(event.data);
      counts(data);
      if (!openId) refreshInbox(section);
    });
    source.addEventListener("unread", function (event) {
      setCount("notification-count", JSON.parse(event.data).count);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-conversations-live]");
    if (section) attach(section);
  });
})();
