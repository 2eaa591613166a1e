// The dashboard inbox, live: the list and one chat follow the server's event streams.
// Without this script the pages still work (reload to see new messages).
(function () {
  "use strict";

  // The page's words in the team's language (data-texts), English until they are read.
  var words = {
    online: "online now",
    none: "No chat needs a person right now.",
    has_chat: "{rep} has this chat: the assistant is quiet.",
    answering: "The assistant is answering.",
    prospect: "Prospect",
    sales_rep: "Sales rep",
    note: "Note",
    agent: "Agent"
  };

  function readWords(element) {
    try {
      var given = JSON.parse(element.getAttribute("data-texts") || "{}");
      Object.keys(given).forEach(function (key) { words[key] = given[key]; });
    } catch (ignored) {
      // keep the English words
    }
  }

  function cell(text) {
    var td = document.createElement("td");
    if (text) td.textContent = text;
    return td;
  }

  function inboxRow(entry) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-lead", entry.id);
    var link = document.createElement("a");
    link.href = "/admin/inbox/" + encodeURIComponent(entry.id);
    link.textContent = entry.label;
    var first = cell("");
    first.appendChild(link);
    tr.appendChild(first);
    tr.appendChild(cell(entry.reason));
    tr.appendChild(cell(entry.claimed_by || ""));
    tr.appendChild(cell(entry.last_message || ""));
    var online = cell("");
    if (entry.online) {
      var badge = document.createElement("span");
      badge.className = "badge badge-hot online";
      badge.textContent = entry.online_text || words.online;
      online.appendChild(badge);
    }
    tr.appendChild(online);
    return tr;
  }

  function who(message) {
    if (message.role === "prospect") return words.prospect;
    if (message.role === "rep") return message.author || words.sales_rep;
    if (message.role === "system") return words.note;
    return words.agent;
  }

  function messageItem(message) {
    var li = document.createElement("li");
    li.className = "msg msg-" + message.role;
    li.setAttribute("data-id", String(message.id));
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = who(message);
    var when = document.createElement("time");
    when.className = "when";
    when.textContent = message.at || "";
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text;
    li.appendChild(name);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(when);
    li.appendChild(text);
    return li;
  }

  var rows = document.getElementById("inbox-rows");
  if (rows) {
    readWords(rows);
    var list = new EventSource(rows.getAttribute("data-events"));
    list.addEventListener("inbox", function (event) {
      var entries = JSON.parse(event.data);
      var fresh = document.createDocumentFragment();
      entries.forEach(function (entry) { fresh.appendChild(inboxRow(entry)); });
      if (!entries.length) {
        var none = document.createElement("tr");
        none.className = "none";
        var td = cell(words.none);
        td.colSpan = 5;
        td.className = "empty";
        none.appendChild(td);
        fresh.appendChild(none);
      }
      rows.replaceChildren(fresh);
    });
  }

  var chat = document.getElementById("chat-state");
  if (chat) {
    readWords(chat);
    var transcript = document.getElementById("transcript");
    var claimed = document.getElementById("claimed");
    var online = document.getElementById("online");
    var stream = new EventSource(chat.getAttribute("data-events"));
    stream.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (transcript.querySelector('[data-id="' + message.id + '"]')) return;
      transcript.appendChild(messageItem(message));
    });
    stream.addEventListener("state", function (event) {
      var state = JSON.parse(event.data);
      claimed.textContent = state.claimed_by
        ? words.has_chat.split("{rep}").join(state.claimed_by)
        : words.answering;
      online.hidden = !state.online;
    });
  }
})();
