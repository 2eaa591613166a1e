/*
 * Beacon chat widget: a lead-qualification chat for any web page.
 *
 *   <script src="https://chat.example.com/widget.js" data-title="Beacon"
 *           data-color="#4f46e5" data-position="right" async></script>
 *
 * Optional attributes: data-title, data-color, data-position (right|left), data-greeting,
 * data-privacy-url, data-privacy-text, data-server (API base URL; defaults to the folder
 * this script is served from), data-lang (the chat's language, whatever the browser says).
 * Attributes override the server's /api/widget-config. Texts: from the server (widget.yaml)
 * in the conversation's language; EN until the server answers.
 *
 * Plain JavaScript, no dependencies, no build step. Everything renders in an open shadow
 * root with its own styles, so the host page's CSS cannot reach it, and every piece of text
 * from the server or the visitor is inserted as text, never as HTML.
 * This file is kept ASCII-only so it decodes the same whatever the host page's charset.
 */
(() => {
  "use strict";

  if (window.__qualifyWidget) return;
  const script = document.currentScript || findScript();
  if (!script || !script.src) return;

  const BASE = new URL(script.getAttribute("data-server") || "./", script.src).href;
  const KEY = "qualify:" + BASE.replace(/\/$/, "");
  const TOKEN_KEY = "qualify:token:" + BASE.replace(/\/$/, "");
  const ROLES = new Set(["prospect", "assistant", "rep", "system"]);
  const DEFAULTS = {
    title: "Chat",
    color: "#4f46e5",
    position: "right",
    greeting: null,
    privacy_url: null,
  };
  const ATTRS = {
    title: "data-title",
    color: "data-color",
    position: "data-position",
    greeting: "data-greeting",
    privacy_url: "data-privacy-url",
    privacy_text: "data-privacy-text",
  };
  const CANT = "Can't reach the server right now. ";
  const CHECK = "Check your connection, then press Retry.";
  const EN = {
    launcher: "Chat with {{ title }}", dismiss: "Dismiss", close: "Close chat", messages: "Messages",
    typing: "Typing", human: "Talk to a person", human_text: "I'd like to talk to a person.",
    new_conversation: "New conversation", placeholder: "Type your message...", your_message: "Your message",
    send: "Send", retry: "Retry", privacy_text: "We store this conversation to follow up with you.",
    privacy_link: "Privacy policy", you: "You", assistant: "{{ title }} assistant",
    unreachable: CANT + "Your message wasn't sent; it's kept in the box below. " + CHECK,
    offline: CANT + CHECK, dropped: "The connection dropped before the reply arrived.",
    too_fast: "You're sending messages very quickly.", wait: "You can send again in {{ seconds }} s.",
    ended: "This chat has ended.", start_new_chat: "Start a new chat",
  };
  const HINTS = {
    forced: script.getAttribute("data-lang") || null,
    browser: (navigator.languages || [navigator.language]).filter(Boolean).join(",").slice(0, 400) || null,
    page: document.documentElement.lang || null,
  };
  const ICONS = {
    chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2h-9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M3.4 20.4l17.5-7.5a1 1 0 0 0 0-1.8L3.4 3.6a1 1 0 0 0-1.4 1.1L3.8 11 14 12 3.8 13l-1.8 6.3a1 1 0 0 0 1.4 1.1z",
  };

  const STYLES = `
:host { all: initial !important; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.qw { --accent: #4f46e5; --on-accent: #ffffff; font: 400 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2937; direction: ltr; text-align: left; -webkit-font-smoothing: antialiased; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button { font: inherit; color: inherit; background: none; border: 0; margin: 0; padding: 0; cursor: pointer; }
button:disabled { cursor: default; opacity: .55; }
a { color: inherit; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
svg { display: block; fill: currentColor; }
.launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; width: 58px; height: 58px; border-radius: 50%; background: var(--accent); color: var(--on-accent); display: grid; place-items: center; box-shadow: 0 6px 20px rgba(17, 24, 39, .28); transition: transform .15s ease; }
.launcher:hover { transform: scale(1.06); }
.launcher svg { width: 26px; height: 26px; }
.launcher .i-close, .is-open .launcher .i-chat { display: none; }
.is-open .launcher .i-close { display: block; }
.i-close path { fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; }
.badge { position: absolute; top: 2px; right: 2px; width: 14px; height: 14px; border-radius: 50%; background: #ef4444; border: 2px solid #ffffff; }
.teaser { position: fixed; bottom: 90px; right: 20px; z-index: 2147483000; display: flex; align-items: flex-start; gap: 2px; max-width: 280px; padding: 10px 6px 10px 14px; background: #ffffff; color: #1f2937; border-radius: 14px; box-shadow: 0 8px 28px rgba(17, 24, 39, .18); }
.teaser-text { text-align: left; line-height: 1.4; }
.teaser-x { width: 24px; height: 24px; flex: none; border-radius: 6px; color: #6b7280; display: grid; place-items: center; }
.teaser-x svg { width: 14px; height: 14px; }
.left .launcher, .left .teaser, .left .panel { right: auto; left: 20px; }
.panel { position: fixed; bottom: 90px; right: 20px; z-index: 2147483001; width: 380px; height: 620px; max-height: calc(100vh - 110px); display: flex; flex-direction: column; background: #ffffff; border: 1px solid rgba(17, 24, 39, .08); border-radius: 16px; overflow: hidden; box-shadow: 0 14px 44px rgba(17, 24, 39, .3); }
.head { display: flex; align-items: center; gap: 8px; padding: 14px 12px 14px 18px; background: var(--accent); color: var(--on-accent); }
.title { flex: 1; margin: 0; font-size: 16px; font-weight: 600; line-height: 1.3; }
.close { width: 34px; height: 34px; border-radius: 8px; display: grid; place-items: center; }
.close:hover { background: rgba(255, 255, 255, .18); }
.close svg { width: 20px; height: 20px; }
.head :focus-visible { outline-color: var(--on-accent); outline-offset: -3px; }
.alert { display: flex; align-items: center; gap: 10px; padding: 10px 14px; background: #fef2f2; color: #991b1b; border-bottom: 1px solid #fecaca; font-size: 13px; }
.alert p { flex: 1; margin: 0; }
.alert button { flex: none; padding: 6px 12px; border-radius: 8px; background: #991b1b; color: #ffffff; font-weight: 600; }
.log { flex: 1; margin: 0; padding: 16px 14px 10px; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; background: #f9fafb; overscroll-behavior: contain; }
.msg { display: flex; flex-direction: column; max-width: 85%; }
.text { margin: 0; padding: 9px 13px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.assistant, .rep { align-self: flex-start; }
.assistant .text { background: #ffffff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }
.prospect { align-self: flex-end; }
.prospect .text { background: var(--accent); color: var(--on-accent); border-bottom-right-radius: 4px; }
.pending .text { opacity: .65; }
.rep .text { background: #ecfdf5; color: #064e3b; border: 1px solid #a7f3d0; border-bottom-left-radius: 4px; }
.who { display: flex; align-items: center; gap: 6px; margin: 0 0 4px 2px; font-size: 12px; font-weight: 600; color: #065f46; }
.avatar { width: 20px; height: 20px; border-radius: 50%; background: #047857; color: #ffffff; display: grid; place-items: center; font-size: 11px; }
.tag { font-weight: 400; color: #6b7280; }
.sys { align-self: center; max-width: 90%; padding: 3px 12px; border-radius: 999px; background: #eef0f3; color: #4b5563; font-size: 12px; text-align: center; }
.typing { align-self: flex-start; display: flex; gap: 4px; padding: 13px 14px; background: #ffffff; border: 1px solid #e5e7eb; border-radius: 14px; border-bottom-left-radius: 4px; }
.dot { width: 7px; height: 7px; border-radius: 50%; background: #9ca3af; animation: qw-bounce 1.2s infinite ease-in-out; }
.dot:nth-of-type(3) { animation-delay: .15s; }
.dot:nth-of-type(4) { animation-delay: .3s; }
@keyframes qw-bounce { 0%, 80%, 100% { opacity: .35; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }
.handoff { padding: 12px 14px; background: #ecfdf5; color: #065f46; border-top: 1px solid #a7f3d0; font-size: 13px; }
.handoff strong { display: block; font-size: 14px; }
.handoff p { margin: 2px 0 0; }
.book { display: inline-block; margin-top: 8px; padding: 7px 14px; border-radius: 8px; background: #047857; color: #ffffff; font-weight: 600; text-decoration: none; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; padding: 10px 14px 0; background: #ffffff; }
.chip { padding: 6px 12px; border: 1px solid var(--accent); border-radius: 999px; background: #ffffff; color: var(--accent); font-size: 13px; }
.chip:hover:not(:disabled) { background: var(--accent); color: var(--on-accent); }
.tools, .confirm, .mailer { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 6px; padding: 10px 14px 0; background: #ffffff; }
.confirm p { flex: 1 1 100%; margin: 0; color: #374151; font-size: 12px; }
.log:focus-visible { outline-offset: -3px; }
.human, .pill { padding: 5px 11px; border: 1px solid #d1d5db; border-radius: 999px; color: #374151; font-size: 12px; }
.human:hover:not(:disabled), .pill:hover:not(:disabled) { background: #f3f4f6; }
.composer { display: flex; align-items: flex-end; gap: 8px; margin: 0; padding: 10px 14px 8px; background: #ffffff; }
.input { flex: 1; min-height: 42px; max-height: 120px; margin: 0; padding: 10px 12px; resize: none; border: 1px solid #d1d5db; border-radius: 12px; background: #ffffff; color: #1f2937; font: inherit; line-height: 1.4; }
.input:focus-visible { outline-offset: 0; border-color: var(--accent); }
.send { width: 42px; height: 42px; flex: none; border-radius: 12px; background: var(--accent); color: var(--on-accent); display: grid; place-items: center; }
.send svg { width: 20px; height: 20px; }
.mailer label { flex: 1 1 100%; font-size: 12px; color: #374151; }
.addr { flex: 1 1 150px; min-width: 0; height: 32px; margin: 0; padding: 5px 10px; border: 1px solid #6b7280; border-radius: 8px; background: #ffffff; color: #1f2937; font: inherit; }
.addr:focus-visible { outline-offset: 0; border-color: var(--accent); }
.addr[aria-invalid="true"] { border-color: #b91c1c; }
.note { margin: 0; padding: 6px 14px 0; background: #ffffff; color: #065f46; font-size: 12px; }
.note.bad { color: #b91c1c; }
.note:empty { display: none; }
.privacy { margin: 0; padding: 0 14px 10px; background: #ffffff; color: #6b7280; font-size: 11px; line-height: 1.4; }
@media (max-width: 480px) {
  .qw .panel { inset: 0; width: 100%; height: auto; max-height: none; border: 0; border-radius: 0; }
  .is-open .launcher, .is-open .teaser { display: none; }
  .input, .addr { font-size: 16px; }
}
@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }
`;

  // --- small helpers

  function findScript() {
    const all = Array.from(document.querySelectorAll("script[src]"));
    return all.find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src)) || null;
  }

  /** An element with attributes ("text" sets textContent, "onX" adds a listener). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (name === "class") el.className = value;
      else if (name === "text") el.textContent = value;
      else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child != null) el.append(child);
    return el;
  }

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "i-" + name);
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function storage(kind) {
    const area = () => window[kind];
    return {
      get: (k) => { try { return area().getItem(k); } catch { return null; } },
      set: (k, v) => { try { area().setItem(k, v); } catch { /* storage off */ } },
      del: (k) => { try { area().removeItem(k); } catch { /* storage off */ } },
    };
  }
  const local = storage("localStorage");
  const session = storage("sessionStorage");

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Been on the site before this visit? A first-party id and when last seen (30 idle minutes end a visit).
  const [vid, vback, vlast] = (local.get(KEY + ":visitor") || "").split(" ");
  const RETURNING = !!vid && (Date.now() - vlast > 18e5 || vback === "1");
  local.set(KEY + ":visitor", [vid || newId(), +RETURNING, Date.now()].join(" "));

  function context() {
    const utm = {};
    for (const [k, v] of new URLSearchParams(location.search)) {
      if (k.startsWith("utm_")) utm[k] = v.slice(0, 200);
    }
    return { page_url: location.href, referrer: document.referrer || null, utm, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone, returning: RETURNING };
  }

  /** An http(s) URL resolved against base, or null (no javascript: or data: links). */
  function safeUrl(value, base) {
    if (!value) return null;
    try {
      const u = new URL(value, base);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch {
      return null;
    }
  }

  const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;
  const cps = (text) => Array.from(text);

  /** Text with links: the spans given ({start, end, href} in code points), else each http(s) URL. */
  function withLinks(text, spans) {
    const cp = cps(text);
    if (!spans) {
      spans = [];
      for (const m of text.matchAll(URL_IN_TEXT)) {
        const url = m[0].replace(/[.,;:!?)\]]+$/, "");
        const start = cps(text.slice(0, m.index)).length;
        spans.push({ start, end: start + cps(url).length, href: url });
      }
    }
    const parts = [];
    let at = 0;
    for (const s of spans) {
      const href = s && safeUrl(s.href);
      if (!href || s.start < at || s.end <= s.start) continue;
      parts.push(cp.slice(at, s.start).join(""),
        h("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text: cp.slice(s.start, at = s.end).join("") }));
    }
    parts.push(cp.slice(at).join(""));
    return parts;
  }

  function validColor(value) {
    return typeof value === "string" && window.CSS && CSS.supports("color", value) ? value : null;
  }

  /** Black or white, whichever reads better on a #rgb/#rrggbb colour. */
  function textOn(color) {
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color || "");
    if (!m) return "#ffffff";
    const hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    return luminance > 0.45 ? "#111827" : "#ffffff";
  }

  function timeLabel(iso, lang) {
    const date = iso ? new Date(iso) : null;
    if (!date || isNaN(date.getTime())) return null;
    return date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }

  // --- HTTP

  class HttpError extends Error {
    constructor(status, body, retryAfter) {
      super((body && body.message) || "HTTP " + status);
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
    }
  }

  /** A reply that failed on the server; its message is meant for the visitor. */
  class TurnError extends Error {}

  const api = (path) => new URL("api/" + path, BASE).href;

  async function request(path, options) {
    const opts = options || {};
    const headers = { Accept: "application/json", ...(opts.headers || {}) };
    if (opts.body) headers["Content-Type"] = "application/json";
    const res = await fetch(api(path), { ...opts, headers, credentials: "omit", cache: "no-store" });
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch { /* not JSON */ }
      throw new HttpError(res.status, body, res.headers.get("Retry-After"));
    }
    return res;
  }

  async function getJson(path, options) {
    return (await request(path, options)).json();
  }

  function parseEvent(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line[0] === ":") continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value[0] === " ") value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (!data.length) return null;
    try {
      return { event, data: JSON.parse(data.join("\n")) };
    } catch {
      return null;
    }
  }

  /** Server-Sent Events from a fetch response (EventSource cannot POST). */
  async function* readEvents(res) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, "\n");
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const event = parseEvent(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (event) yield event;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  // --- the widget

  class Widget {
    constructor() {
      this.config = { ...DEFAULTS };
      this.texts = {};
      this.lang = "en";
      this.token = local.get(TOKEN_KEY);
      this.loaded = false;
      this.starting = null;
      this.busy = false;
      this.isOpen = false;
      this.handoff = false;
      this.seen = new Set();
      this.offered = { replies: [], field: null };
      this.events = null;
      this.eventRetries = 0;
      this.build();
      this.applyConfig(this.mergeConfig({}));
    }

    /** A text in the conversation's language ({{ title }} and vars filled in). */
    t(key, vars) {
      const own = this.texts[this.lang] || {};
      const text = own[key] != null ? own[key] : EN[key] || "";
      const values = { title: this.config.title, ...vars };
      return typeof text === "string" ? text.replace(/\{\{ (\w+) \}\}/g, (m, k) => (k in values ? values[k] : m)) : text;
    }

    /** The conversation is (now) in lang: every UI string follows, and screen readers too. */
    setLanguage(lang) {
      if (typeof lang === "string" && /^[a-z]{2,3}$/.test(lang)) this.lang = lang;
      this.applyConfig(this.config);
    }

    // building

    build() {
      this.host = document.createElement("qualify-widget");
      this.root = this.host.attachShadow({ mode: "open" });
      this.launcher = h("button", {
        class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "qw-panel",
        onclick: () => this.toggle(),
      }, icon("chat"), icon("close"), h("span", { class: "badge", hidden: true }));
      this.teaser = this.buildTeaser();
      this.panel = this.buildPanel();
      this.wrap = h("div", { class: "qw" }, this.launcher, this.teaser, this.panel);
      this.root.append(h("style", { text: STYLES }), this.wrap);
      this.root.addEventListener("keydown", (e) => this.onKeydown(e));
      // Keys with focus outside the widget: Escape when focus fell to the page; all when modal.
      document.addEventListener("keydown", (e) => {
        const at = document.activeElement;
        if (at !== this.host && (this.modal() || (e.key === "Escape" && (!at || at === document.body)))) this.onKeydown(e);
      });
      document.addEventListener("focusin", (e) => { if (e.target !== this.host && this.modal()) this.input.focus(); });
      this.small = window.matchMedia("(max-width: 480px)");
      this.small.onchange = () => this.modal();
      document.body.append(this.host);
    }

    buildTeaser() {
      this.teaserText = h("button", { class: "teaser-text", type: "button", onclick: () => this.open() });
      const dismiss = h("button", {
        class: "teaser-x", type: "button", "data-l": "dismiss", onclick: () => this.dismissTeaser(),
      }, icon("close"));
      return h("div", { class: "teaser", hidden: true }, this.teaserText, dismiss);
    }

    buildPanel() {
      this.titleEl = h("h2", { class: "title", id: "qw-title" });
      const close = h("button", {
        class: "close", type: "button", "data-l": "close", onclick: () => this.close(),
      }, icon("close"));
      this.alertText = h("p");
      this.alertButton = h("button", { type: "button", onclick: () => this.runRetry() });
      this.alert = h("div", { class: "alert", role: "alert", hidden: true }, this.alertText, this.alertButton);
      this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "data-l": "messages", tabindex: "0", "aria-busy": "false" });
      this.typing = h("div", { class: "typing" }, h("span", { class: "sr-only", "data-t": "typing" }),
        h("span", { class: "dot" }), h("span", { class: "dot" }), h("span", { class: "dot" }));
      this.handoffEl = this.buildHandoff();
      this.chips = h("div", { class: "chips", role: "group", "data-l": "suggested", hidden: true });
      this.humanButton = h("button", {
        class: "human", type: "button", "data-t": "human", onclick: () => this.send(this.t("human_text"), "human"),
      });
      this.newButton = h("button", { class: "pill new", type: "button", "data-t": "new_conversation", onclick: () => this.askRestart(true) });
      this.mailButton = h("button", { class: "pill mail", type: "button", hidden: true, onclick: () => this.askMail(true) });
      this.tools = h("div", { class: "tools" }, this.mailButton, this.newButton, this.humanButton);
      this.restartButton = h("button", { class: "pill restart", type: "button", "data-t": "start_new", onclick: () => this.restart() });
      this.confirmEl = h("div", { class: "confirm", role: "group", "data-l": "new_conversation", hidden: true },
        h("p", { "data-t": "restart_question" }), this.restartButton,
        h("button", { class: "pill cancel", type: "button", "data-t": "cancel", onclick: () => this.askRestart(false) }));
      return h("section", { class: "panel", id: "qw-panel", role: "dialog", "aria-labelledby": "qw-title", hidden: true },
        h("div", { class: "head" }, this.titleEl, close),
        this.alert, this.log, this.handoffEl, this.chips,
        this.tools, this.confirmEl, this.buildMail(),
        this.buildComposer(), this.buildPrivacy());
    }

    /** "Email me this transcript": the form, and a note saying what happened. */
    buildMail() {
      this.mailLabel = h("label", { for: "qw-mail" });
      this.mailInput = h("input", { class: "addr", id: "qw-mail", type: "email", autocomplete: "email", maxlength: "254", "aria-describedby": "qw-mail-note" });
      this.mailSend = h("button", { class: "pill send-mail" });
      this.mailCancel = h("button", { class: "pill", type: "button", onclick: () => this.askMail(false) });
      this.mailForm = h("form", { class: "mailer", novalidate: true, hidden: true, onsubmit: (e) => { e.preventDefault(); this.sendMail(); } },
        this.mailLabel, this.mailInput, this.mailSend, this.mailCancel);
      this.mailNote = h("p", { class: "note", id: "qw-mail-note", role: "status" });
      return h("div", null, this.mailForm, this.mailNote);
    }

    buildHandoff() {
      this.handoffNote = h("p");
      this.bookLink = h("a", { class: "book", target: "_blank", rel: "noopener noreferrer", "data-t": "book", hidden: true });
      this.handoffTitle = h("strong");
      return h("div", { class: "handoff", role: "status", hidden: true },
        this.handoffTitle, this.handoffNote, this.bookLink);
    }

    buildComposer() {
      this.input = h("textarea", {
        class: "input", rows: "1", "data-l": "your_message",
        oninput: () => this.autosize(), onkeydown: (e) => this.onInputKey(e),
      });
      this.sendButton = h("button", { class: "send", type: "submit", "data-l": "send" }, icon("send"));
      return h("form", {
        class: "composer", onsubmit: (e) => { e.preventDefault(); this.submit(); },
      }, this.input, this.sendButton);
    }

    buildPrivacy() {
      this.privacyText = h("span");
      this.privacyLink = h("a", { target: "_blank", rel: "noopener noreferrer", "data-t": "privacy_link", hidden: true });
      return h("p", { class: "privacy" }, this.privacyText, " ", this.privacyLink);
    }

    // configuration

    mergeConfig(server) {
      const merged = { ...DEFAULTS };
      for (const [key, value] of Object.entries(server || {})) {
        if (key in DEFAULTS && typeof value === "string" && value) merged[key] = value;
      }
      if (server && server.privacy_url) merged.privacy_url = safeUrl(server.privacy_url, BASE);
      merged.reps_live = Boolean(server && server.reps_live === true);
      const mail = server && server.transcript_email;
      merged.mail = mail && typeof mail === "object" ? mail : null;
      if (server && server.texts && typeof server.texts === "object") this.texts = server.texts;
      // Before a conversation says otherwise, the language the server would start in.
      if (!this.loaded && server && server.language) this.lang = server.language;
      for (const [key, attr] of Object.entries(ATTRS)) {
        const value = script.getAttribute(attr);
        if (value) merged[key] = key === "privacy_url" ? safeUrl(value, document.baseURI) : value;
      }
      merged.color = validColor(merged.color) || DEFAULTS.color;
      merged.position = merged.position === "left" ? "left" : "right";
      return merged;
    }

    applyConfig(config) {
      this.config = config;
      this.wrap.style.setProperty("--accent", config.color);
      this.wrap.style.setProperty("--on-accent", textOn(config.color));
      this.wrap.classList.toggle("left", config.position === "left");
      this.titleEl.textContent = config.title;
      this.wrap.lang = this.lang;
      this.setBadge(!this.launcher.querySelector(".badge").hidden);
      // data-t: the element's text; data-l: its aria-label (keys of widget.yaml).
      for (const el of this.root.querySelectorAll("[data-t]")) el.textContent = this.t(el.dataset.t);
      for (const el of this.root.querySelectorAll("[data-l]")) el.setAttribute("aria-label", this.t(el.dataset.l));
      this.input.placeholder = this.t("placeholder");
      if (this.retryLabel) this.alertButton.textContent = this.t(this.retryLabel);
      this.teaserText.textContent = config.greeting || "";
      this.privacyText.textContent = config.privacy_text || this.t("privacy_text");
      const mail = this.mailTexts();
      this.mailButton.hidden = !config.mail;
      this.mailButton.textContent = mail.button || "";
      this.mailLabel.textContent = mail.address_label || "";
      this.mailSend.textContent = mail.send || "";
      this.mailCancel.textContent = mail.cancel || "";
      this.privacyLink.hidden = !config.privacy_url;
      if (config.privacy_url) this.privacyLink.href = config.privacy_url;
      // Only what will happen: a reply here when a rep is connected, else by email.
      const live = config.reps_live ? "handoff_live_" : "handoff_email_";
      this.handoffTitle.textContent = this.t(live + "title");
      this.handoffNote.textContent = this.t(live === "handoff_email_" ? "handoff_email_note_when" : "handoff_live_note");
      this.updateTeaser();
    }

    async loadConfig() {
      try {
        const hints = new URLSearchParams();
        for (const [k, v] of Object.entries(HINTS)) if (v) hints.set(k === "forced" ? "lang" : k, v);
        this.applyConfig(this.mergeConfig(await getJson("widget-config?" + hints)));
        this.configFailed = false;
      } catch {
        this.configFailed = true;
        // Attributes and defaults are enough to chat; the first request will tell if the server is down.
      }
    }

    // opening and closing

    start() {
      if (session.get(KEY + ":open")) this.open({ focus: false });
      else if (this.token) this.ensureConversation();
      this.loadConfig();
      window.addEventListener("online", () => this.refresh());
    }

    toggle() {
      if (this.isOpen) this.close();
      else this.open();
    }

    open(options) {
      this.isOpen = true;
      this.panel.hidden = false;
      this.wrap.classList.add("is-open");
      this.launcher.setAttribute("aria-expanded", "true");
      this.setBadge(false);
      session.set(KEY + ":open", "1");
      this.updateTeaser();
      this.scrollDown();
      this.modal();
      if (!options || options.focus !== false) this.input.focus();
      this.ensureConversation();
    }

    close() {
      this.isOpen = false;
      this.panel.hidden = true;
      this.wrap.classList.remove("is-open");
      this.launcher.setAttribute("aria-expanded", "false");
      session.del(KEY + ":open");
      this.modal();
      this.launcher.focus();
    }

    updateTeaser() {
      const show = !!this.config.greeting && !this.isOpen && !this.token && !session.get(KEY + ":teaser");
      this.teaser.hidden = !show;
    }

    dismissTeaser() {
      session.set(KEY + ":teaser", "dismissed");
      this.updateTeaser();
      this.launcher.focus();
    }

    setBadge(on) {
      this.launcher.querySelector(".badge").hidden = !on;
      this.launcher.setAttribute("aria-label", this.t(on ? "launcher_new" : "launcher"));
    }

    /** Full screen (small screens) the panel is modal: aria-modal, and Tab stays inside. */
    modal() {
      const on = this.isOpen && this.small.matches;
      if (on) this.panel.setAttribute("aria-modal", "true");
      else this.panel.removeAttribute("aria-modal");
      return on;
    }

    onKeydown(event) {
      if (event.key === "Escape" && this.isOpen) {
        event.preventDefault();
        event.stopPropagation();
        // In the transcript form, Escape closes the form only.
        if (!this.mailForm.hidden && this.mailForm.contains(this.root.activeElement)) this.askMail(false);
        else this.close();
      } else if (event.key === "Tab" && this.modal()) {
        const items = Array.from(this.panel.querySelectorAll("button, a[href], textarea, input, [tabindex]"))
          .filter((el) => !el.disabled && el.getClientRects().length);
        const at = items.indexOf(this.root.activeElement);
        const next = event.shiftKey ? (at <= 0 ? items.length - 1 : -1) : (at < 0 || at === items.length - 1 ? 0 : -1);
        if (next >= 0) {
          event.preventDefault();
          items[next].focus();
        }
      }
    }

    onInputKey(event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    }

    autosize() {
      this.input.style.height = "auto";
      this.input.style.height = Math.min(this.input.scrollHeight + 2, 120) + "px";
    }

    // the conversation

    /** Resolves true once a conversation is on screen (resumed or new), false if it failed. */
    ensureConversation() {
      if (this.loaded) return Promise.resolve(true);
      if (!this.starting) {
        const work = this.token ? this.resume() : this.create();
        this.starting = work.finally(() => { this.starting = null; });
      }
      return this.starting;
    }

    async create() {
      try {
        const data = await getJson("conversations", { method: "POST", body: JSON.stringify({ context: context(), language: HINTS }) });
        this.token = data.token;
        local.set(TOKEN_KEY, data.token);
        local.set(KEY + ":page:" + data.token, location.href);
        this.render({ ...data, quick_replies: [], handoff: false });
        return true;
      } catch (error) {
        this.showError(error, () => this.ensureConversation());
        return false;
      }
    }

    async resume() {
      try {
        this.render(await getJson("conversations/" + encodeURIComponent(this.token)));
        this.notePage();
        return true;
      } catch (error) {
        if (error.status === 403 || error.status === 404) {
          this.forget();
          return this.create();
        }
        this.showError(error, () => this.ensureConversation());
        return false;
      }
    }

    /** Fetch the history again and add what is missing (after a reconnect). */
    async refresh() {
      if (!this.loaded || this.busy) return;
      try {
        const data = await getJson("conversations/" + encodeURIComponent(this.token));
        for (const message of data.messages || []) this.receive(message);
        if (data.handoff) this.setHandoff(true);
      } catch {
        // The next message or reconnect will show what is wrong.
      }
    }

    render(data) {
      if (this.configFailed) this.loadConfig(); // the texts, now that the server answers
      this.setLanguage(data.language);
      this.log.replaceChildren();
      this.seen.clear();
      const messages = data.messages || [];
      for (const message of messages) this.addMessage(message);
      const last = messages[messages.length - 1];
      const botAsked = last && last.role === "assistant" && !data.handoff;
      this.setChips(botAsked ? data.quick_replies || [] : [], data.asking);
      this.setHandoff(!!data.handoff, local.get(KEY + ":booking:" + this.token));
      this.loaded = true;
      this.clearAlert();
      this.updateTeaser();
      this.subscribe();
      this.scrollDown();
    }

    /** The chat goes on on another page of the site: the lead records the page. */
    notePage() {
      const key = KEY + ":page:" + this.token;
      const url = location.href;
      if (local.get(key) === url) return;
      request("conversations/" + encodeURIComponent(this.token) + "/page", { method: "POST", body: JSON.stringify({ url }) }).then(() => local.set(key, url), () => {});
    }

    forget() {
      this.unsubscribe();
      local.del(KEY + ":booking:" + this.token);
      local.del(KEY + ":page:" + this.token);
      local.del(TOKEN_KEY);
      this.token = null;
      this.loaded = false;
      this.handoff = false;
      this.handoffEl.hidden = this.bookLink.hidden = true;
      this.humanButton.hidden = false;
      this.mailForm.hidden = true;
      this.mailNote.textContent = this.mailInput.value = "";
      this.log.replaceChildren();
      this.setChips([]);
    }

    askRestart(on) {
      this.mailForm.hidden = true;
      this.confirmEl.hidden = !on;
      this.tools.hidden = on;
      (on ? this.restartButton : this.newButton).focus();
    }

    askMail(on) {
      this.mailForm.hidden = !on;
      this.tools.hidden = on;
      this.mailNote.textContent = "";
      if (!on) return this.mailButton.focus();
      this.mailInput.focus();
      if (!this.mailInput.value && this.token) {
        getJson(this.mailPath()).then((data) => { if (!this.mailInput.value && data.email) this.mailInput.value = data.email; }, () => {});
      }
    }

    /** The texts of "Email me this transcript" in the conversation's language. */
    mailTexts() {
      return (this.config.mail && this.t("mail")) || this.config.mail || {};
    }

    mailPath() {
      return "conversations/" + encodeURIComponent(this.token) + "/transcript-email";
    }

    mailSay(text, bad) {
      this.mailNote.textContent = text || "";
      this.mailNote.classList.toggle("bad", !!bad);
      this.mailInput.setAttribute("aria-invalid", bad ? "true" : "false");
    }

    /** Sent is said only once the server's mail server took it; a failure keeps the address. */
    async sendMail() {
      const texts = this.mailTexts();
      const email = this.mailInput.value.trim();
      if (this.mailSend.disabled) return;
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        this.mailSay(texts.invalid, true);
        return this.mailInput.focus();
      }
      this.mailSend.disabled = true;
      this.mailSay(texts.sending);
      try {
        const data = await getJson(this.mailPath(), { method: "POST", body: JSON.stringify({ email }) });
        if (!data || data.sent !== true) throw new TypeError("not sent");
        this.askMail(false);
        this.mailSay(data.message);
      } catch (error) {
        this.mailSay((error.body && error.body.message) || texts.unreachable, true);
        this.mailInput.focus();
      } finally {
        this.mailSend.disabled = false;
      }
    }

    /** Start afresh: this browser forgets the chat (the server keeps it for the team). */
    restart() {
      if (this.busy) return;
      this.askRestart(false);
      this.forget();
      this.clearAlert();
      this.unsent = null;
      this.input.value = "";
      this.autosize();
      this.input.focus();
      this.ensureConversation();
    }

    // messages

    /** One bubble per part of the message (an answer, then the next question). */
    addMessage(message, options) {
      const parts = Array.isArray(message.parts) && message.parts.length ? message.parts : [message.text];
      let el;
      for (const text of parts) {
        el = this.messageElement({ ...message, text });
        if (options && options.pending) el.classList.add("pending");
        this.log.insertBefore(el, this.typing.parentNode === this.log ? this.typing : null);
      }
      if (message.id) this.seen.add(message.id);
      this.scrollDown();
      return el;
    }

    messageElement(message) {
      const role = ROLES.has(message.role) ? message.role : "assistant";
      const text = String(message.text == null ? "" : message.text);
      const attrs = { "data-role": role, "data-id": message.id, title: timeLabel(message.created_at, this.lang) };
      if (role === "system") return h("div", { ...attrs, class: "sys", text });
      const links = Array.isArray(message.links) && message.links.length ? message.links : null;
      const body = role === "prospect" ? [text] : withLinks(text, links);
      return h("div", { ...attrs, class: "msg " + role, "data-author": message.author },
        this.authorLabel(role, message.author), h("p", { class: "text" }, ...body));
    }

    authorLabel(role, author) {
      if (role === "rep") {
        const name = String(author || this.t("rep_default"));
        return h("span", { class: "who" },
          h("span", { class: "avatar", "aria-hidden": "true", text: name.trim().charAt(0).toUpperCase() }),
          h("span", { class: "name", text: name }),
          h("span", { class: "tag", text: this.t("rep_team") }));
      }
      const who = this.t(role === "prospect" ? "you" : "assistant");
      return h("span", { class: "sr-only", text: who + ": " });
    }

    /** A message from the live event stream or a refresh: shown once (the log announces it). */
    receive(message) {
      if (!message || !message.id || this.seen.has(message.id)) return;
      if (this.busy && (message.role === "prospect" || message.role === "assistant")) return;
      this.addMessage(message);
      if (!this.isOpen && message.role !== "prospect") this.setBadge(true);
    }

    /**
     * One button per quick reply of the question the bot asked (field). A button sends its
     * label as the message and says which chip it is, so the server records the chip's value.
     */
    setChips(replies, field) {
      this.offered = { replies, field };
      const buttons = [];
      replies.forEach((reply, index) => {
        if (typeof reply !== "string" || !reply) return;
        const chip = typeof field === "string" && field ? { field, index } : null;
        buttons.push(h("button", {
          class: "chip", type: "button", "data-field": field, "data-index": index,
          onclick: () => this.send(reply, null, chip),
        }, reply));
      });
      this.chips.replaceChildren(...buttons);
      this.chips.hidden = !buttons.length;
    }

    setHandoff(on, bookingUrl) {
      if (!on) return;
      this.handoff = true;
      this.handoffEl.hidden = false;
      this.humanButton.hidden = true;
      const url = safeUrl(bookingUrl, BASE);
      if (url) {
        this.bookLink.href = url;
        this.bookLink.hidden = false;
        local.set(KEY + ":booking:" + this.token, url);
      }
    }

    showTyping(on) {
      if (on) this.log.append(this.typing);
      else this.typing.remove();
      this.scrollDown();
    }

    scrollDown() {
      this.log.scrollTop = this.log.scrollHeight;
    }

    // sending

    submit() {
      const text = this.input.value.trim();
      if (!text || this.busy) {
        this.input.focus();
        return;
      }
      this.input.value = "";
      this.autosize();
      this.send(text);
    }

    send(text, intent, quickReply, clientId) {
      const u = this.unsent || {};
      // One id per message, kept on retry: stored and answered once.
      const id = clientId || (u.text === text && u.intent === (intent || null) && u.id) || newId();
      return this.run({ text, intent: intent || null, quickReply: quickReply || null, offered: this.offered, id });
    }

    /** Send a turn (again: a stored one keeps its bubble). */
    async run(turn) {
      if (this.busy) return;
      // The pressed control is disabled or removed: focus stays in the widget.
      const at = this.root.activeElement;
      if (at && at !== this.input && this.panel.contains(at)) (at.matches(":focus-visible") ? this.input : this.log).focus();
      this.setBusy(true);
      this.clearAlert();
      this.unsent = null;
      Object.assign(turn, { done: false, reply: null, streamed: [] });
      try {
        if (!turn.stored) {
          if (!(await this.ensureConversation())) throw new TypeError("no conversation");
          this.notePage();
          this.setChips([]);
          turn.bubble = this.addMessage({ role: "prospect", text: turn.text }, { pending: true });
        }
        this.showTyping(true);
        await this.stream(turn);
      } catch (error) {
        this.turnFailed(turn, error);
      } finally {
        this.showTyping(false);
        this.setBusy(false);
      }
    }

    async stream(turn) {
      const payload = { text: turn.text, client_id: turn.id, intent: turn.intent };
      if (turn.quickReply) payload.quick_reply = turn.quickReply;
      const body = JSON.stringify(payload);
      const path = "conversations/" + encodeURIComponent(this.token) + "/messages";
      const res = await request(path, { method: "POST", body, headers: { Accept: "text/event-stream" } });
      if (!/event-stream/.test(res.headers.get("Content-Type") || "")) throw new TypeError("not a stream");
      for await (const { event, data } of readEvents(res)) {
        if (event === "stored") this.onStored(turn, data);
        else if (event === "delta") this.onDelta(turn, data);
        else if (event === "reply") this.onReply(turn, data);
        else if (event === "error") throw new TurnError((data && data.message) || this.t("dropped"));
      }
      if (!turn.done) throw new TypeError("stream ended early");
    }

    onStored(turn, data) {
      turn.stored = true;
      turn.bubble.classList.remove("pending");
      if (data && data.id) {
        turn.bubble.setAttribute("data-id", data.id);
        this.seen.add(data.id);
      }
    }

    onDelta(turn, data) {
      if (!data || typeof data.text !== "string") return;
      this.showTyping(false);
      if (!turn.reply || (data.part || 0) !== turn.part) {
        turn.part = data.part || 0;
        turn.streamed.push(turn.reply = this.addMessage({ role: "assistant", text: "" }));
      }
      turn.reply.classList.add("streaming");
      turn.reply.querySelector(".text").append(data.text);
      this.scrollDown();
    }

    onReply(turn, data) {
      if (data && data.language && data.language !== this.lang) this.setLanguage(data.language);
      const message = { role: "assistant", ...(data && data.message) };
      this.showTyping(false);
      for (const el of turn.streamed) el.remove();
      this.addMessage(message);
      if (message.id) this.seen.add(message.id);
      turn.done = true;
      this.setChips(data.quick_replies || [], data.asking);
      if (data.handoff) this.setHandoff(true, data.booking_url);
      if (!this.isOpen) this.setBadge(true);
      this.scrollDown();
    }

    turnFailed(turn, error) {
      if (!turn.done) for (const el of turn.streamed) el.remove();
      if (turn.stored) {
        // The message is saved; only the reply is missing.
        if (error instanceof TurnError) this.showAlert(error.message, "try_again", () => this.run(turn));
        else this.showAlert(this.t("dropped"), "try_again", () => this.recover(turn));
        return;
      }
      if (turn.bubble) turn.bubble.remove();
      // A chip that was not sent stays on offer, unless the server refused it or the chat
      // is gone: then its label goes into the box like typed text, so nothing is lost.
      const chip = turn.quickReply && ![403, 404, 422].includes(error.status) ? turn.quickReply : null;
      if (turn.offered) this.setChips(turn.offered.replies, turn.offered.field);
      if (!chip) this.keepText(turn);
      if (error.status === 403 || error.status === 404) {
        this.forget();
        this.ensureConversation().then((ok) => ok && this.showAlert(this.t("restarted"), "send", () => this.submit()));
        return;
      }
      const again = turn.intent || chip ? () => this.send(turn.text, turn.intent, chip, turn.id) : () => this.submit();
      this.showError(error, again, !chip);
    }

    /** After a dropped stream: show the reply if the server finished it, else ask again. */
    async recover(turn) {
      let data = null;
      try {
        data = await getJson("conversations/" + encodeURIComponent(this.token));
      } catch {
        // Sending again will show what is wrong.
      }
      const messages = (data && data.messages) || [];
      const last = messages[messages.length - 1];
      if (!last || last.role === "prospect") return this.run(turn);
      for (const message of messages) this.receive(message);
      this.setChips(data.handoff ? [] : data.quick_replies || [], data.asking);
      if (data.handoff) this.setHandoff(true);
    }

    /** Put an unsent message back in the box, ahead of anything typed since. */
    keepText(turn) {
      this.unsent = turn;
      if (turn.intent) return;
      const typed = this.input.value;
      this.input.value = typed ? turn.text + "\n" + typed : turn.text;
      this.autosize();
    }

    setBusy(on) {
      this.busy = on;
      this.log.setAttribute("aria-busy", on ? "true" : "false");
      this.sendButton.disabled = on;
      this.humanButton.disabled = this.newButton.disabled = this.restartButton.disabled = on;
      for (const chip of this.chips.querySelectorAll("button")) chip.disabled = on;
    }

    // notices

    showError(error, retry, unsent) {
      const status = error instanceof HttpError ? error.status : 0;
      const said = (error.body && error.body.message) || null;
      if (status === 429) {
        const wait = parseInt(error.retryAfter || (error.body && error.body.retry_after), 10);
        this.showAlert(this.t("too_fast") + (wait > 0 ? " " + this.t("wait", { seconds: wait }) : ""), "retry", retry);
      } else if (status === 403 || status === 404) {
        this.showAlert(this.t(status === 403 ? "invalid_chat" : "ended"), "start_new_chat", () => this.ensureConversation());
      } else if (status && status < 500) {
        this.showAlert(said || this.t("not_sent"));
      } else if (error instanceof TurnError) {
        this.showAlert(error.message, "retry", retry);
      } else {
        this.showAlert(this.t(unsent ? "unreachable" : "offline"), "retry", retry);
      }
    }

    /** An alert; its button's label is a text key, so it follows a language switch. */
    showAlert(text, buttonLabel, action) {
      this.alertText.textContent = text;
      this.retryAction = action || null;
      this.alertButton.hidden = !action;
      this.retryLabel = buttonLabel || "retry";
      this.alertButton.textContent = this.t(this.retryLabel);
      this.alert.hidden = false;
    }

    clearAlert() {
      this.alert.hidden = true;
      this.retryAction = null;
    }

    runRetry() {
      const action = this.retryAction;
      this.clearAlert();
      if (action) action();
      this.input.focus();
    }

    // live messages from a person

    subscribe() {
      this.unsubscribe();
      if (!this.token || typeof EventSource !== "function") return;
      const source = new EventSource(api("conversations/" + encodeURIComponent(this.token) + "/events"));
      let opened = false;
      source.addEventListener("open", () => {
        if (this.eventRetries) this.refresh();
        opened = true;
        this.eventRetries = 0;
      });
      source.addEventListener("message", (event) => {
        try { this.receive(JSON.parse(event.data)); } catch { /* ignore a bad event */ }
      });
      source.addEventListener("error", () => {
        source.close();
        if (this.events !== source) return;
        this.events = null;
        // Never opened (e.g. 404): live messages are not offered, so stop quietly.
        if (opened && this.eventRetries < 6) {
          this.eventRetries += 1;
          this.eventTimer = setTimeout(() => this.subscribe(), 2000 * this.eventRetries);
        }
      });
      this.events = source;
    }

    unsubscribe() {
      clearTimeout(this.eventTimer);
      if (this.events) this.events.close();
      this.events = null;
    }
  }

  function boot() {
    const widget = new Widget();
    window.__qualifyWidget = { version: 1, open: () => widget.open(), close: () => widget.close() };
    widget.start();
  }

  window.__qualifyWidget = { version: 1 };
  if (document.body) boot();
  else document.addEventListener("DOMContentLoaded", boot, { once: true });
})();
