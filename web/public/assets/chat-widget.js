// The clinic's chat widget, added to any site by one tag: <script src="https://clinic/chat.js" async>.
// /chat.js sets window.ClinicChat (the clinic's address, this file's address and the texts in each
// language) and loads this file. Everything is drawn inside a Shadow DOM: the host page's styles do not
// reach in and ours do not leak out. The conversation id is kept in localStorage, so a reload redraws
// the conversation from the server and carries on. Requests are "simple" cross-origin requests (a
// text/plain body), so the browser sends them without a preflight.
(function () {
  "use strict";
  var cfg = window.ClinicChat;
  if (!cfg || document.getElementById("clinic-chat-root")) return;
  var base = cfg.base.replace(/\/$/, "");
  var storeKey = "clinic-chat:" + base;
  var pageLang = (document.documentElement.lang || navigator.language || "en").toLowerCase();
  var lang = pageLang.indexOf("ar") === 0 ? "ar" : "en";
  var T = cfg.texts[lang] || cfg.texts.en;

  var host = document.createElement("div");
  host.id = "clinic-chat-root";
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = [
    ":host { all: initial; }",
    "* { box-sizing: border-box; }",
    ".wrap { position: fixed; inset-block-end: 16px; inset-inline-end: 16px; z-index: 2147483000;",
    "  font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans Arabic', sans-serif; color: #17212b; }",
    ".open { display: inline-flex; align-items: center; gap: 8px; border: 0; border-radius: 999px; cursor: pointer;",
    "  background: #0f5e6e; color: #fff; font-weight: 600; font-size: 16px; line-height: 1; font-family: inherit; padding: 14px 20px;",
    "  box-shadow: 0 6px 20px rgba(16,24,40,.25); min-height: 52px; }",
    ".open svg { width: 22px; height: 22px; fill: currentColor; }",
    ".panel { display: none; flex-direction: column; width: 370px; height: min(600px, calc(100vh - 32px));",
    "  background: #fff; border-radius: 16px; overflow: hidden; box-shadow: 0 12px 40px rgba(16,24,40,.3); }",
    ".wrap.on .panel { display: flex; } .wrap.on .open { display: none; }",
    "header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 12px 16px;",
    "  background: #0f5e6e; color: #fff; }",
    "header h2 { margin: 0; font-size: 17px; font-weight: 700; }",
    ".close { border: 0; background: transparent; color: #fff; font-size: 26px; line-height: 1; cursor: pointer;",
    "  min-width: 44px; min-height: 44px; font-family: inherit; }",
    ".log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: #eef2f5; }",
    ".msg { max-width: 85%; padding: 9px 13px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".bot { align-self: flex-start; background: #fff; border: 1px solid #dde3e9; border-start-start-radius: 4px; }",
    ".me { align-self: flex-end; background: #0f5e6e; color: #fff; border-start-end-radius: 4px; }",
    ".msg a { color: inherit; font-weight: 700; }",
    ".choices { display: flex; flex-wrap: wrap; gap: 6px; align-self: stretch; }",
    ".choice { border: 1px solid #0f5e6e; background: #fff; color: #0f5e6e; border-radius: 999px; padding: 8px 14px;",
    "  font-weight: 600; font-size: 15px; line-height: 1.2; font-family: inherit; cursor: pointer; min-height: 40px; }",
    ".choice:hover, .choice:focus-visible { background: #e3f1f4; }",
    "form { display: flex; gap: 8px; padding: 10px; border-block-start: 1px solid #dde3e9; background: #fff; margin: 0; }",
    "input { flex: 1; min-width: 0; font-size: 16px; font-family: inherit; color: #17212b; background: #fff;",
    "  border: 1px solid #b8c2cc; border-radius: 10px; padding: 10px 12px; min-height: 44px; }",
    ".send { border: 0; border-radius: 10px; background: #0f5e6e; color: #fff; font-weight: 600; font-size: 15px; font-family: inherit;",
    "  padding: 0 16px; min-height: 44px; cursor: pointer; }",
    ".send[disabled] { opacity: .6; }",
    ".typing { align-self: flex-start; color: #56616d; font-size: 14px; }",
    "@media (max-width: 600px) {",
    "  .wrap.on { inset: 0; }",
    "  .wrap.on .panel { width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; }",
    "}"
  ].join("\n");
  root.appendChild(style);

  var wrap = el("div", "wrap");
  wrap.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
  wrap.setAttribute("lang", lang);
  var open = el("button", "open");
  open.type = "button";
  open.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2z"/></svg>';
  open.appendChild(document.createTextNode(T.open));
  var panel = el("section", "panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", T.title);
  var head = el("header");
  head.appendChild(el("h2", "", T.title));
  var close = el("button", "close", "×");
  close.type = "button";
  close.setAttribute("aria-label", T.close);
  head.appendChild(close);
  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  var form = el("form");
  var input = el("input");
  input.type = "text";
  input.maxLength = 1000;
  input.placeholder = T.placeholder;
  input.setAttribute("aria-label", T.placeholder);
  input.autocomplete = "off";
  var send = el("button", "send", T.send);
  send.type = "submit";
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  wrap.appendChild(open);
  wrap.appendChild(panel);
  root.appendChild(wrap);
  document.body.appendChild(host);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var conversation = null;
  try { conversation = localStorage.getItem(storeKey); } catch (e) { conversation = null; }
  var busy = false;
  var loaded = false;

  // A bot message; a link to the booking form in its text becomes a link (the "chat unavailable" answer).
  function say(text, who) {
    var m = el("div", "msg " + who);
    var parts = String(text).split(/(https?:\/\/\S+|\/book\b)/);
    parts.forEach(function (p, i) {
      if (i % 2 === 1) {
        var a = el("a", "", p === "/book" ? T.form : p);
        a.href = p === "/book" ? base + "/book?lang=" + lang : p;
        a.target = "_blank";
        a.rel = "noopener";
        m.appendChild(a);
      } else if (p) {
        m.appendChild(document.createTextNode(p));
      }
    });
    log.appendChild(m);
    return m;
  }

  function clearChoices() {
    log.querySelectorAll(".choices").forEach(function (c) { c.remove(); });
  }

  function showChoices(choices) {
    if (!choices || !choices.length) return;
    var box = el("div", "choices");
    choices.forEach(function (c) {
      var b = el("button", "choice", c.label);
      b.type = "button";
      b.addEventListener("click", function () { turn({ choice: c.id, text: c.label }, c.label); });
      box.appendChild(b);
    });
    log.appendChild(box);
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function unavailable() {
    say(T.unavailable + " /book", "bot");
    scroll();
  }

  function post(body) {
    return fetch(base + "/api/v1/public/chat", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function turnID() {
    var a = new Uint8Array(8);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // One turn: the patient's words (or picked choice) shown at once, then the bot's replies.
  function turn(what, shown) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    clearChoices();
    if (shown) say(shown, "me");
    var typing = el("div", "typing", "…");
    log.appendChild(typing);
    scroll();
    var body = { turn_id: turnID(), lang: lang };
    if (conversation) body.conversation_id = conversation;
    if (what.text) body.text = what.text;
    if (what.choice) body.choice = what.choice;
    post(body).then(function (res) {
      typing.remove();
      if (res.status !== 200) {
        if (res.status === 400 && body.conversation_id) forget();
        unavailable();
        return;
      }
      conversation = res.data.conversation_id;
      try { localStorage.setItem(storeKey, conversation); } catch (e) { /* private mode: no reload memory */ }
      var last = null;
      res.data.replies.forEach(function (r) { say(r.text, "bot"); last = r; });
      if (last) showChoices(last.choices);
      scroll();
    }).catch(function () {
      typing.remove();
      unavailable();
    }).then(function () {
      busy = false;
      send.disabled = false;
    });
  }

  function forget() {
    conversation = null;
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
  }

  // Redraw a kept conversation after a reload; the last bot message's choices are offered again.
  function restore() {
    return fetch(base + "/api/v1/public/chat/" + encodeURIComponent(conversation))
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var msgs = data.messages || data.items || [];
        var last = null;
        msgs.forEach(function (m) {
          var mine = m.direction === "in";
          if (m.text) say(m.text, mine ? "me" : "bot");
          last = mine ? null : m;
        });
        if (last) showChoices(last.choices);
        scroll();
        return msgs.length > 0;
      })
      .catch(function () { forget(); return false; });
  }

  function start() {
    if (loaded) return;
    loaded = true;
    (conversation ? restore() : Promise.resolve(false)).then(function (had) {
      if (!had) turn({ text: T.hello }, T.hello);
    });
  }

  function show() {
    wrap.classList.add("on");
    start();
    setTimeout(function () { input.focus(); }, 0);
    try { localStorage.setItem(storeKey + ":open", "1"); } catch (e) { /* fine */ }
  }

  open.addEventListener("click", show);
  close.addEventListener("click", function () {
    wrap.classList.remove("on");
    try { localStorage.removeItem(storeKey + ":open"); } catch (e) { /* fine */ }
    open.focus();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    turn({ text: text }, text);
  });
  // A panel left open stays open across pages and reloads.
  try { if (localStorage.getItem(storeKey + ":open")) show(); } catch (e) { /* fine */ }
})();
