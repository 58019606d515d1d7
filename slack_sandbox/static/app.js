// The sandbox page: one person's view of the simulated workspace, kept live over a websocket,
// and what they do there sent to the sandbox server, which sends it on to the app as Slack would.

import { h, renderBlocks } from "./blocks.js";
import { mrkdwn } from "./mrkdwn.js";
import { confirmDialog, ModalLayer } from "./modal.js";
import { refreshRegistry, startRegistryPanel } from "./registry.js";

const HOME = "home";
// Drawn, not an emoji: a machine without an emoji font would show a box.
const EYE =
  '<svg viewBox="0 0 20 20" width="12" height="12"><path fill="currentColor" d="M10 4C5.5 4 2.1 7.1 1 10c1.1 2.9 4.5 6 9 6s7.9-3.1 9-6c-1.1-2.9-4.5-6-9-6zm0 10a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm0-6a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"/></svg>';
const RECONNECT_MS = 1000;
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  users: [],
  bot: { id: "", real_name: "Schema Approvals" },
  commands: [],
  channels: new Map(),
  messages: new Map(),
  ephemerals: new Map(),
  modals: [],
  home: null,
  homeShown: null,
  open: null,
  unread: new Map(),
  socket: null,
  generation: 0,
};

const people = (id) => state.users.find((u) => u.id === id) ?? (id === state.bot.id ? state.bot : undefined);
const me = () => people(state.me);
const myDm = () => [...state.channels.values()].find((c) => c.is_im && c.user === state.me);
const recordKey = (record) => `${record.channel}/${record.ts}`;

// ts is "seconds.micros": compare the parts, a float would lose the last digits.
function byTs(a, b) {
  const [as, am] = a.ts.split(".").map(Number);
  const [bs, bm] = b.ts.split(".").map(Number);
  return as - bs || am - bm;
}

// -- talking to the sandbox server --------------------------------------------------------------

function showError(text) {
  $("error-text").textContent = text;
  $("error-banner").hidden = false;
}

function clearError() {
  $("error-banner").hidden = true;
  $("error-text").textContent = "";
}

// The answer, or null after showing why it failed: a failure is never silent.
async function post(path, body) {
  clearError();
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: state.me, ...body }),
    });
  } catch (error) {
    showError(`The sandbox did not answer (${error.message}). Is it still running?`);
    return null;
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok || !answer?.ok) {
    showError(answer?.error ?? `The sandbox answered HTTP ${response.status}.`);
    return null;
  }
  return answer;
}

function setConnection(text, live) {
  const el = $("connection");
  el.textContent = text;
  el.classList.toggle("live", live);
}

// `reloaded`: the page was just loaded; like Slack's client, a reload closes the person's modals.
function connect({ reloaded = false } = {}) {
  const generation = ++state.generation;
  state.socket?.close();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = `user=${encodeURIComponent(state.me)}${reloaded ? "&reloaded=1" : ""}`;
  const socket = new WebSocket(`${scheme}://${location.host}/ui/socket?${query}`);
  state.socket = socket;
  setConnection("Connecting…", false);
  socket.onmessage = (event) => generation === state.generation && receive(JSON.parse(event.data));
  socket.onclose = () => {
    if (generation !== state.generation) return;
    setConnection("Reconnecting…", false);
    setTimeout(() => generation === state.generation && connect(), RECONNECT_MS);
  };
}

// -- what the server tells ---------------------------------------------------------------------

function upsert(map, record) {
  const key = recordKey(record);
  const isNew = !map.has(key);
  if (record.deleted) map.delete(key);
  else map.set(key, record);
  if (isNew && !record.deleted && record.channel !== state.open && record.user !== state.me) {
    state.unread.set(record.channel, (state.unread.get(record.channel) ?? 0) + 1);
  }
  return record.channel;
}

function receive(change) {
  if (change.type === "snapshot") {
    Object.assign(state, {
      users: change.users,
      bot: change.bot,
      commands: change.commands,
      channels: new Map(change.channels.map((c) => [c.id, c])),
      messages: new Map(change.messages.map((m) => [recordKey(m), m])),
      ephemerals: new Map(change.ephemerals.map((e) => [recordKey(e), e])),
      modals: change.modals,
      home: change.home,
      homeShown: null,
    });
    $("workspace-name").textContent = change.team;
    setConnection("Live", true);
    if (state.open !== HOME && !state.channels.has(state.open)) state.open = myDm()?.id ?? null;
    open(state.open, { refreshHome: state.open === HOME });
  } else if (change.type === "message") {
    if (upsert(state.messages, change.message) === state.open) renderConversation();
    // An approval notice follows its registration: the panel shows the new version with it.
    refreshRegistry();
  } else if (change.type === "ephemeral") {
    if (upsert(state.ephemerals, change.ephemeral) === state.open) renderConversation();
  } else if (change.type === "channel") {
    state.channels.set(change.channel.id, change.channel);
  } else if (change.type === "views") {
    state.modals = change.modals;
    state.home = change.home;
    if (state.open === HOME) renderHome();
  }
  renderSidebar();
  modals.show(state.modals);
}

// -- the sidebar ---------------------------------------------------------------------------------

function channelName(channel) {
  return channel.is_im ? state.bot.real_name : `# ${channel.name}`;
}

// The sidebar is rebuilt only when its entries change; unread badges and the current entry are
// updated in place, so a link is never swapped for a new one under a person's click while
// messages arrive.
function navItem(target, label, icon) {
  return h(
    "li",
    {},
    h(
      "a",
      {
        href: `?user=${encodeURIComponent(state.me)}&open=${encodeURIComponent(target)}`,
        class: "nav-item",
        "data-target": target,
        onclick: (event) => {
          event.preventDefault();
          open(target, { refreshHome: true });
        },
      },
      h("span", { class: "nav-icon", "aria-hidden": "true" }, icon),
      h("span", { class: "nav-label" }, label),
      h("span", { class: "badge", hidden: true }),
    ),
  );
}

function markNavItem(link) {
  const target = link.dataset.target;
  const unread = state.unread.get(target) ?? 0;
  link.classList.toggle("unread", unread > 0);
  if (state.open === target) link.setAttribute("aria-current", "page");
  else link.removeAttribute("aria-current");
  const badge = link.querySelector(".badge");
  badge.hidden = !unread;
  badge.textContent = unread ? String(unread) : "";
  badge.title = unread ? `${unread} unread` : "";
}

function syncNav(list, entries) {
  const key = JSON.stringify([state.me, entries]);
  if (list.dataset.entries !== key) {
    list.dataset.entries = key;
    list.replaceChildren(...entries.map(([target, label, icon]) => navItem(target, label, icon)));
  }
  for (const link of list.querySelectorAll("a[data-target]")) markNavItem(link);
}

function renderSidebar() {
  const channels = [...state.channels.values()].filter((c) => !c.is_im);
  syncNav($("nav-apps"), [[HOME, "Home", "⌂"]]);
  syncNav($("nav-channels"), channels.map((c) => [c.id, c.name, "#"]));
  const dm = myDm();
  syncNav($("nav-dms"), dm ? [[dm.id, state.bot.real_name, "◆"]] : []);
}

// -- a conversation --------------------------------------------------------------------------------

function initials(name) {
  return name.split(/\s+/).map((part) => part[0] ?? "").join("").slice(0, 2).toUpperCase();
}

function hue(id) {
  return [...id].reduce((sum, ch) => (sum * 31 + ch.charCodeAt(0)) % 360, 7);
}

// 24-hour "13:40", as dates inside messages show their {time}: one clock on the page.
function clock(ts) {
  const moment = new Date(Number(ts.split(".")[0]) * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

// Slack shows a run of messages from one sender, minutes apart, under one name and avatar.
const GROUP_WITHIN_SECONDS = 5 * 60;

function senderOf(kind, record) {
  if (kind === "ephemeral") return null;
  return record.bot_id || record.user === state.bot.id ? state.bot.id : record.user;
}

function renderItem(kind, record) {
  const ephemeral = kind === "ephemeral";
  const fromApp = ephemeral || Boolean(record.bot_id) || record.user === state.bot.id;
  const sender = fromApp ? state.bot : people(record.user) ?? { id: record.user, real_name: record.user };
  const ctx = {
    people,
    onButton: (block, element, el) => clickButton({ channel: record.channel, ts: record.ts }, block, element, el),
  };
  const content = record.blocks?.length
    ? renderBlocks(record.blocks, ctx)
    : h("div", { class: "message-text", html: mrkdwn(record.text, people) });
  return h(
    "article",
    { class: `message${ephemeral ? " ephemeral" : ""}`, "data-ts": record.ts, "aria-label": `${sender.real_name} at ${clock(record.ts)}` },
    h("div", { class: `avatar${fromApp ? " app" : ""}`, style: `--hue: ${hue(sender.id)}`, "aria-hidden": "true" }, initials(sender.real_name)),
    h(
      "div",
      { class: "message-body" },
      ephemeral ? h("div", { class: "only-you" }, h("span", { class: "eye", "aria-hidden": "true", html: EYE }), "Only visible to you") : null,
      h(
        "div",
        { class: "message-meta" },
        h("span", { class: "sender" }, sender.real_name),
        fromApp ? h("span", { class: "app-badge" }, "APP") : null,
        h("time", { datetime: new Date(Number(record.ts.split(".")[0]) * 1000).toISOString() }, clock(record.ts)),
        record.edited ? h("span", { class: "edited" }, "(edited)") : null,
      ),
      content,
      ephemeral
        ? h("button", { type: "button", class: "link-button dismiss", onclick: () => post("/ui/dismiss", { channel: record.channel, ts: record.ts }) }, "Dismiss message")
        : null,
    ),
  );
}

// Each message's element is rebuilt only when it changed, so a click in progress elsewhere
// is not disturbed by an update to another message.
const drawn = new WeakMap();

function renderConversation() {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [
    ...[...state.messages.values()].filter((m) => m.channel === state.open).map((r) => ["message", r]),
    ...[...state.ephemerals.values()].filter((e) => e.channel === state.open).map((r) => ["ephemeral", r]),
  ].sort((a, b) => byTs(a[1], b[1]));
  const existing = new Map([...list.children].map((el) => [el.dataset.key, el]));
  let previous = null;
  let last = null;
  for (const [kind, record] of items) {
    const key = `${kind}:${recordKey(record)}`;
    const signature = JSON.stringify([record.text, record.blocks, record.edited]);
    let el = existing.get(key);
    if (!el || drawn.get(el) !== signature) {
      const fresh = renderItem(kind, record);
      fresh.dataset.key = key;
      drawn.set(fresh, signature);
      if (el) el.replaceWith(fresh);
      el = fresh;
    }
    existing.delete(key);
    const sender = senderOf(kind, record);
    const seconds = Number(record.ts);
    el.classList.toggle(
      "continued",
      sender !== null && last !== null && last.sender === sender && seconds - last.seconds < GROUP_WITHIN_SECONDS,
    );
    last = { sender, seconds };
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (expected !== el) list.insertBefore(el, expected);
    previous = el;
  }
  for (const stale of existing.values()) stale.remove();
  if (!items.length) {
    list.replaceChildren(h("p", { class: "empty", "data-key": "empty" }, "No messages yet."));
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderHome() {
  const home = state.home;
  if (home && state.homeShown === home.hash) return;
  state.homeShown = home?.hash ?? null;
  const ctx = {
    people,
    onButton: (block, element, el) => clickButton({ view_id: home.id }, block, element, el),
  };
  $("home").replaceChildren(
    home
      ? renderBlocks(home.definition.blocks, ctx)
      : h("p", { class: "empty" }, `${state.bot.real_name} has not published a Home tab for you yet.`),
  );
}

function open(target, { refreshHome = false } = {}) {
  state.open = target;
  state.unread.delete(target);
  const isHome = target === HOME;
  const channel = state.channels.get(target);
  const title = isHome ? `${state.bot.real_name} · Home` : channel ? channelName(channel) : "…";
  $("conversation-title").textContent = title;
  $("conversation-topic").textContent = isHome
    ? "Reviews waiting for you, and your submissions"
    : channel?.is_im
      ? "Your direct messages with the app; run its commands here"
      : "Review requests are posted here too";
  $("messages").hidden = isHome;
  $("home").hidden = !isHome;
  $("composer").hidden = isHome;
  $("composer-text").placeholder = channel ? `Message ${channelName(channel)}` : "Message";
  document.title = `${title} · ${me()?.real_name ?? ""} · Schema Sandbox`;
  history.replaceState(null, "", `?user=${encodeURIComponent(state.me)}&open=${encodeURIComponent(target ?? "")}`);
  if (isHome) {
    renderHome();
    // Slack tells the app each time the tab is opened; the app then publishes it afresh.
    if (refreshHome) post("/ui/home", {});
  } else {
    $("messages").replaceChildren();
    renderConversation();
    $("messages").scrollTop = $("messages").scrollHeight;
  }
  renderSidebar();
}

// -- what the person does ----------------------------------------------------------------------------

async function clickButton(container, block, element, el) {
  if (element.confirm && !(await confirmDialog(element.confirm))) return;
  if (element.url) window.open(element.url, "_blank", "noopener");
  el.disabled = true;
  el.setAttribute("aria-busy", "true");
  try {
    // The button as this page shows it: Slack's client sends what it rendered, so a click on a
    // message that changed since (a lagging tab) still reaches the app, which then answers.
    const shown = { type: element.type, action_id: element.action_id, value: element.value, text: element.text };
    await post("/ui/click", { ...container, action_id: element.action_id, block_id: block.block_id, shown });
  } finally {
    el.disabled = false;
    el.removeAttribute("aria-busy");
  }
}

const modals = new ModalLayer({
  users: () => state.users,
  people,
  onSubmit: (view, values) => post("/ui/submit", { view_id: view.id, values }),
  onCancel: (view) => post("/ui/close", { view_id: view.id }),
  onButton: (view, block, element, el) => clickButton({ view_id: view.id }, block, element, el),
});

async function sendMessage(event) {
  event.preventDefault();
  const box = $("composer-text");
  const text = box.value.trim();
  if (!text || state.open === HOME) return;
  const send = $("composer").querySelector("button[type=submit]");
  send.disabled = true;
  try {
    if (await post("/ui/message", { channel: state.open, text })) box.value = "";
  } finally {
    send.disabled = false;
    box.focus();
  }
}

function switchUser(userId) {
  const wasDm = state.channels.get(state.open)?.is_im;
  state.me = userId;
  state.unread.clear();
  if (wasDm) state.open = null;
  $("current-user").value = userId;
  modals.show([]);
  connect();
}

async function loadExamples() {
  const response = await fetch("/examples/");
  const { examples } = await response.json();
  $("example-list").replaceChildren(
    ...examples.map((example) =>
      h(
        "li",
        { class: "example" },
        h("a", { class: "example-title", href: example.url, target: "_blank", rel: "noopener" }, example.title),
        h("code", { class: "example-command" }, example.command),
        h(
          "div",
          { class: "example-actions" },
          h("button", {
            type: "button",
            class: "bk-button small",
            onclick: () => {
              $("composer-text").value = example.command;
              $("composer-text").focus();
            },
          }, "Put in message box"),
          h("button", {
            type: "button",
            class: "bk-button small",
            onclick: (event) => {
              navigator.clipboard?.writeText(example.command).then(
                () => (event.target.textContent = "Copied"),
                () => showError("The browser did not allow copying; select the line and copy it."),
              );
            },
          }, "Copy"),
        ),
      ),
    ),
  );
}

async function start() {
  const response = await fetch("/ui/people");
  const { users } = await response.json();
  state.users = users;
  const select = $("current-user");
  // "Alice Anders · Review1.a", "Erin Evans · admin": who is who in the review at a glance.
  select.replaceChildren(
    ...users.map((u) => h("option", { value: u.id }, u.role ? `${u.real_name} · ${u.role}` : u.real_name)),
  );
  const params = new URLSearchParams(location.search);
  const wanted = params.get("user");
  const known = users.find((u) => u.id === wanted);
  if (wanted && !known) {
    showError(`No simulated user has the id ${wanted}; showing ${users[0].real_name}. Pick someone from "Signed in as".`);
  }
  state.me = (known ?? users[0]).id;
  state.open = params.get("open") || null;
  select.value = state.me;
  select.addEventListener("change", () => switchUser(select.value));
  $("error-close").addEventListener("click", clearError);
  $("composer").addEventListener("submit", sendMessage);
  $("composer-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) sendMessage(event);
  });
  connect({ reloaded: true });
  loadExamples().catch((error) => showError(`The example schemas did not load (${error.message}).`));
  startRegistryPanel();
}

start();
