// The local web chat: plays one simulated person at a time against the sandbox, like a Telegram client.
// Plain JS, no build step. Bot text is HTML from the bot: it is rebuilt node by node from a whitelist,
// never assigned with innerHTML. User text is only ever a text node.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    who: $("who"), chat: $("chat"), title: $("chat-title"), subtitle: $("chat-subtitle"), avatar: $("avatar"),
    action: $("chat-action"),
    scroller: $("scroller"), list: $("messages"), empty: $("empty"), toast: $("toast"), problem: $("problem"),
    form: $("send-form"), text: $("text"), attach: $("attach"), menuButton: $("menu-button"),
    commands: $("commands"), commandList: $("command-list"), replyBar: $("reply-bar"),
    replyText: $("reply-text"), replyCancel: $("reply-cancel"), replyKeyboard: $("reply-keyboard"),
  };
  const state = {
    setup: null, me: 0, chat: 0, version: 0, drawn: new Map(), keyboard: null,
    replyTo: null, poll: null, firstLoad: true,
  };
  const DEFAULT_LOCATION = { latitude: 41.8781, longitude: -87.6298 }; // Chicago, for "share location"

  // --- Talking to the sandbox ---

  async function api(path, init = {}) {
    const headers = { "X-Sandbox-Chat": "1", ...(init.headers || {}) };
    const response = await fetch(path, { ...init, headers });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
    return body;
  }

  function postJson(action, body) {
    return api(`/api/chats/${state.chat}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user_id: state.me, ...body }),
    });
  }

  async function act(work) {
    try {
      showProblem("");
      await work();
    } catch (error) {
      showProblem(error.message);
    }
  }

  // --- Bot HTML, rebuilt from Telegram's tag whitelist ---

  const SIMPLE_TAGS = {
    B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
    CODE: "code", PRE: "pre", BLOCKQUOTE: "blockquote",
  };

  function botHtml(source) {
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${source}</body>`, "text/html");
    const out = document.createDocumentFragment();
    copyChildren(doc.body, out, true);
    return out;
  }

  // ``linkify``: turn web addresses in text into links, as Telegram does (not inside a link or code).
  function copyChildren(from, to, linkify) {
    for (const node of from.childNodes) {
      const copy = copyNode(node, linkify);
      if (copy) to.appendChild(copy);
    }
  }

  function copyNode(node, linkify) {
    if (node.nodeType === Node.TEXT_NODE) return linkify ? linkedText(node.data) : document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const tag = node.tagName;
    let element;
    let inside = linkify;
    if (tag === "A") {
      element = document.createElement("a");
      const href = node.getAttribute("href") || "";
      if (/^(https?:|mailto:|tel:)/i.test(href)) makeLink(element, href);
      inside = false;
    } else if (tag === "TG-SPOILER" || (tag === "SPAN" && node.classList.contains("tg-spoiler"))) {
      element = document.createElement("span");
      element.className = "spoiler";
      element.tabIndex = 0;
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", "Hidden text, press to show");
      const show = () => { element.classList.add("shown"); element.removeAttribute("aria-label"); };
      element.addEventListener("click", show);
      element.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") show(); });
    } else if (SIMPLE_TAGS[tag]) {
      element = document.createElement(SIMPLE_TAGS[tag]);
      if (tag === "CODE" || tag === "PRE") inside = false;
    } else {
      // Anything else (tg-emoji, or a tag Telegram would have refused): keep the text only.
      const fragment = document.createDocumentFragment();
      copyChildren(node, fragment, linkify);
      return fragment;
    }
    copyChildren(node, element, inside);
    return element;
  }

  // --- Links: web addresses in text, and links that open a chat with this bot ---

  // A web address, or a t.me link written without one (Telegram links both).
  const ADDRESS = /\bhttps?:\/\/[^\s<>"]+|(?<![\w.@/-])(?:t|telegram)\.me\/[^\s<>"]+/gi;

  function linkedText(text) {
    const out = document.createDocumentFragment();
    let from = 0;
    for (const match of text.matchAll(ADDRESS)) {
      const address = match[0].replace(/[.,;:!?)'"»]+$/, ""); // a full stop after a link is not part of it
      if (/^https?:\/\/$/i.test(address)) continue; // nothing left after the punctuation
      if (match.index > from) out.appendChild(document.createTextNode(text.slice(from, match.index)));
      const link = el("a", "", address);
      makeLink(link, /^https?:/i.test(address) ? address : `https://${address}`);
      out.appendChild(link);
      from = match.index + address.length;
    }
    if (from < text.length) out.appendChild(document.createTextNode(text.slice(from)));
    return out;
  }

  function makeLink(element, href) {
    element.href = href;
    const bot = botLink(href);
    if (bot) {
      // Telegram opens these itself, never in a browser: here they act for the person in "I am".
      element.addEventListener("click", (event) => { event.preventDefault(); openBotLink(bot); });
      return;
    }
    element.target = "_blank";
    element.rel = "noopener noreferrer";
  }

  const START_PARAMETER = /^[A-Za-z0-9_-]{0,64}$/; // what Telegram allows after ?start=

  // A link to this bot (t.me/<bot>): { start: the parameter of ?start=, or null without one }; else null.
  function botLink(href) {
    let url;
    try {
      url = new URL(href);
    } catch {
      return null;
    }
    const host = url.hostname.toLowerCase();
    if (!/^https?:$/.test(url.protocol) || !["t.me", "www.t.me", "telegram.me"].includes(host)) return null;
    const name = url.pathname.replace(/^\/+|\/+$/g, "");
    if (!state.setup || name.toLowerCase() !== state.setup.bot.username.toLowerCase()) return null;
    const start = url.searchParams.get("start");
    return { start: start !== null && START_PARAMETER.test(start) ? start : null };
  }

  // As Telegram does: the person chosen in "I am" goes to their own chat with the bot, and a start link
  // sends "/start <parameter>" there (the bot reads the parameter, e.g. an invite).
  function openBotLink(bot) {
    if (ui.chat.value !== "private") {
      ui.chat.value = "private";
      openChat();
    }
    if (bot.start !== null) send(bot.start ? `/start ${bot.start}` : "/start");
  }

  // --- Drawing messages ---

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function timeText(unix) {
    return new Date(unix * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function fill(item, view) {
    const mine = !view.from_bot && view.sender_id === state.me;
    item.className = `msg ${view.from_bot ? "bot" : mine ? "me" : "other"}`;
    item.dataset.id = String(view.id);
    const bubble = el("div", "bubble");
    const group = state.chat < 0;
    if (!mine && (group || !view.from_bot)) bubble.appendChild(el("div", "sender", view.sender));
    if (view.reply_to) bubble.appendChild(el("div", "quote", view.reply_to.snippet));
    if (view.photo) {
      const img = el("img", "photo");
      img.src = view.photo.url;
      img.alt = "Photo";
      if (view.photo.width && view.photo.height) {
        img.width = view.photo.width;
        img.height = view.photo.height;
      }
      bubble.appendChild(img);
    }
    if (view.document) {
      const link = el("a", "file");
      link.href = view.document.url;
      link.download = view.document.file_name;
      link.appendChild(el("span", "file-icon", "⬇")).setAttribute("aria-hidden", "true");
      const label = el("span");
      label.appendChild(el("span", "file-name", view.document.file_name));
      label.appendChild(el("span", "file-size", sizeText(view.document.size)));
      link.appendChild(label);
      bubble.appendChild(link);
    }
    if (view.location) {
      const where = view.location;
      bubble.appendChild(el("div", "body", `📍 Location ${where.latitude.toFixed(4)}, ${where.longitude.toFixed(4)}`));
    }
    const body = el("div", "body");
    if (view.from_bot) body.appendChild(botHtml(view.html || ""));
    else body.appendChild(linkedText(view.text || ""));
    if (body.textContent) bubble.appendChild(body);
    bubble.appendChild(el("div", "meta", `${view.edited ? "edited " : ""}${timeText(view.date)}`));
    const parts = [bubble];
    if (view.buttons) parts.push(keyboard(view));
    item.replaceChildren(...parts);
  }

  function keyboard(view) {
    const box = el("div", "keyboard");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Buttons");
    view.buttons.forEach((row, r) => {
      const line = el("div", "row");
      row.forEach((button, c) => {
        let control;
        if (button.kind === "url") {
          control = el("a", "", botLink(button.url) ? button.text : `${button.text} ↗`);
          if (/^(https?:|tg:)/i.test(button.url)) makeLink(control, button.url);
        } else {
          control = el("button", "", button.text);
          control.type = "button";
          control.dataset.row = String(r);
          control.dataset.col = String(c);
          if (button.kind === "callback") control.addEventListener("click", () => press(view.id, r, c, box));
          else control.disabled = true;
        }
        line.appendChild(control);
      });
      box.appendChild(line);
    });
    return box;
  }

  function draw(views) {
    const nearBottom = ui.scroller.scrollHeight - ui.scroller.scrollTop - ui.scroller.clientHeight < 80;
    const seen = new Set();
    let added = false;
    for (const view of views) {
      seen.add(view.id);
      const key = JSON.stringify(view);
      const known = state.drawn.get(view.id);
      if (known && known.key === key) continue;
      if (known) {
        redraw(known.item, view); // an edit: the same bubble changes in place
        known.key = key;
      } else {
        const item = el("li");
        fill(item, view);
        ui.list.appendChild(item);
        state.drawn.set(view.id, { item, key });
        added = true;
      }
    }
    for (const [id, known] of state.drawn) {
      if (!seen.has(id)) {
        known.item.remove();
        state.drawn.delete(id);
      }
    }
    ui.empty.hidden = state.drawn.size > 0;
    if (added && (nearBottom || state.firstLoad)) ui.scroller.scrollTop = ui.scroller.scrollHeight;
  }

  function redraw(item, view) {
    // Keep keyboard users where they were: focus the button in the same place after the edit.
    const focused = item.contains(document.activeElement) ? document.activeElement : null;
    const spot = focused && focused.dataset.row !== undefined ? focused.dataset : null;
    fill(item, view);
    if (!focused) return;
    const same = spot && item.querySelector(`button[data-row="${spot.row}"][data-col="${spot.col}"]`);
    (same || item.querySelector("button") || ui.text).focus();
  }

  // --- Keyboards the bot gives the user: reply keyboard, ForceReply ---

  function applyKeyboard(markup) {
    const key = JSON.stringify(markup);
    if (key === JSON.stringify(state.keyboard)) return;
    state.keyboard = markup;
    ui.replyKeyboard.replaceChildren();
    ui.replyKeyboard.hidden = true;
    ui.text.placeholder = (markup && markup.placeholder) || "Message";
    if (markup && markup.type === "force_reply") {
      const target = state.drawn.get(markup.message_id);
      setReplyTo(markup.message_id, target ? target.item.querySelector(".body")?.textContent : "");
    }
    if (markup && markup.type === "keyboard") {
      for (const row of markup.rows) {
        const line = el("div", "row");
        for (const button of row) {
          const control = el("button", "", button.location ? `📍 ${button.text}` : button.text);
          control.type = "button";
          control.addEventListener("click", () =>
            button.location ? shareLocation() : send(button.text));
          line.appendChild(control);
        }
        ui.replyKeyboard.appendChild(line);
      }
      ui.replyKeyboard.hidden = false;
    }
  }

  function setReplyTo(messageId, snippet) {
    state.replyTo = messageId;
    ui.replyBar.hidden = messageId === null;
    ui.replyText.textContent = messageId === null ? "" : `Reply to: ${(snippet || "").slice(0, 80)}`;
  }

  // --- Acting ---

  function send(text) {
    return act(async () => {
      await postJson("send", { text, reply_to: state.replyTo });
      setReplyTo(null);
    });
  }

  function press(messageId, row, col, box) {
    for (const button of box.querySelectorAll("button")) button.disabled = true; // as Telegram's spinner
    return act(async () => {
      try {
        await postJson("press", { message_id: messageId, row, col });
      } finally {
        setTimeout(() => { for (const b of box.querySelectorAll("button")) b.disabled = false; }, 1500);
      }
    });
  }

  function shareLocation() {
    return act(() => postJson("location", DEFAULT_LOCATION));
  }

  function upload(file) {
    return act(async () => {
      const form = new FormData();
      form.append("user_id", String(state.me));
      form.append("caption", ui.text.value);
      form.append("file", file, file.name);
      await api(`/api/chats/${state.chat}/upload`, { method: "POST", body: form });
      ui.text.value = "";
    });
  }

  // --- Notices ---

  let toastTimer = 0;
  function showToast(text) {
    ui.toast.textContent = text;
    ui.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { ui.toast.hidden = true; }, 3500);
  }

  function showProblem(text) {
    ui.problem.textContent = text;
    ui.problem.hidden = !text;
  }

  // --- The bot's chat action: "typing…" under the chat's name ---

  // What Telegram's apps say for each chat action (sendChatAction).
  const ACTION_WORDS = {
    typing: "typing", upload_document: "sending a file", upload_photo: "sending a photo",
    upload_video: "sending a video", record_video: "recording a video", record_voice: "recording a voice message",
    upload_voice: "sending a voice message", choose_sticker: "choosing a sticker",
    find_location: "choosing a location", record_video_note: "recording a video message",
    upload_video_note: "sending a video message",
  };
  let actionTimer = 0;

  // The sandbox says how long the action still shows (Telegram: 5 s, or until the bot's next message).
  function showAction(action) {
    clearTimeout(actionTimer);
    const words = action ? ACTION_WORDS[action.action] || "typing" : "";
    const group = state.chat < 0;
    ui.action.textContent = !words ? "" : group ? `${state.setup.bot.name} is ${words}…` : `${words}…`;
    ui.action.hidden = !words;
    ui.subtitle.hidden = Boolean(words);
    if (words) actionTimer = setTimeout(() => showAction(null), Math.max(0, action.seconds) * 1000);
  }

  // --- Following the chat (long poll) ---

  async function follow() {
    if (state.poll) state.poll.abort();
    const poll = new AbortController();
    state.poll = poll;
    while (!poll.signal.aborted) {
      try {
        const url = `/api/chats/${state.chat}?user=${state.me}&after=${state.version}`;
        const update = await api(url, { signal: poll.signal });
        if (poll.signal.aborted) return;
        draw(update.messages);
        applyKeyboard(update.keyboard);
        showAction(update.action);
        if (!state.firstLoad) for (const answer of update.answers) showToast(answer.text);
        state.version = update.version;
        state.firstLoad = false;
        document.body.dataset.version = String(update.version);
      } catch (error) {
        if (poll.signal.aborted) return;
        showProblem(`Lost the sandbox: ${error.message}. Retrying…`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  // --- Who am I, which chat ---

  function fillPickers() {
    const { users, groups, bot } = state.setup;
    ui.who.replaceChildren(...users.map((u) => option(u.id, u.name)));
    const chats = [{ id: "private", name: "Bot (private)" },
      ...groups.map((g) => ({ id: g.id, name: `${g.title} (group)` }))];
    ui.chat.replaceChildren(...chats.map((c) => option(c.id, c.name)));
  }

  function option(value, text) {
    const element = el("option", "", text);
    element.value = String(value);
    return element;
  }

  function openChat() {
    state.me = Number(ui.who.value);
    state.chat = ui.chat.value === "private" ? state.me : Number(ui.chat.value);
    state.version = -1; // below any chat's version: the first load answers at once
    state.firstLoad = true;
    state.keyboard = undefined;
    state.drawn.clear();
    ui.list.replaceChildren();
    setReplyTo(null);
    showProblem("");
    showAction(null);
    const { bot, groups } = state.setup;
    const group = groups.find((g) => g.id === state.chat);
    ui.title.textContent = group ? group.title : bot.name;
    ui.avatar.textContent = (group ? group.title : bot.name).slice(0, 1);
    ui.subtitle.textContent = group
      ? `group with @${bot.username}${group.privacy_mode ? " (privacy mode: the bot sees commands and replies)" : ""}`
      : `bot @${bot.username}`;
    const params = new URLSearchParams({ who: String(state.me), chat: ui.chat.value });
    history.replaceState(null, "", `?${params}`);
    follow();
  }

  // --- Commands menu ---

  async function toggleCommands(show) {
    if (show) {
      const setup = await api("/api/setup").catch(() => state.setup);
      const items = setup.commands.map((command) => {
        const item = el("li");
        const button = el("button");
        button.type = "button";
        button.append(el("span", "cmd", `/${command.command}`), command.description);
        button.addEventListener("click", () => { toggleCommands(false); send(`/${command.command}`); });
        item.appendChild(button);
        return item;
      });
      ui.commandList.replaceChildren(...items);
    }
    ui.commands.hidden = !show;
    ui.menuButton.setAttribute("aria-expanded", String(show));
    if (show) ui.commandList.querySelector("button")?.focus();
    else ui.menuButton.focus();
  }

  // --- Wiring ---

  function wire() {
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = ui.text.value;
      if (!text.trim()) return;
      ui.text.value = "";
      send(text);
    });
    ui.text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.form.requestSubmit();
      }
    });
    ui.attach.addEventListener("change", () => {
      const file = ui.attach.files[0];
      if (file) upload(file);
      ui.attach.value = "";
    });
    ui.who.addEventListener("change", openChat);
    ui.chat.addEventListener("change", openChat);
    ui.replyCancel.addEventListener("click", () => { setReplyTo(null); ui.text.focus(); });
    ui.menuButton.addEventListener("click", () => toggleCommands(ui.commands.hidden));
    ui.commands.addEventListener("keydown", (event) => {
      if (event.key === "Escape") toggleCommands(false);
    });
  }

  async function start() {
    wire();
    state.setup = await api("/api/setup");
    fillPickers();
    const asked = new URLSearchParams(location.search);
    if (asked.get("who")) ui.who.value = asked.get("who");
    if (asked.get("chat")) ui.chat.value = asked.get("chat");
    if (!ui.who.value && ui.who.options.length) ui.who.selectedIndex = 0;
    if (!ui.chat.value) ui.chat.selectedIndex = 0;
    openChat();
    document.body.dataset.ready = "true";
  }

  start().catch((error) => showProblem(`Could not reach the sandbox: ${error.message}`));
})();
