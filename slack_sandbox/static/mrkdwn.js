// Slack's mrkdwn to HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes,
// <url|links>, <@U…> mentions, <#C…|channels>, <!date^…> dates and :emoji:.
// Every piece of text is HTML-escaped; only the markup this file writes reaches innerHTML.

const EMOJI = {
  rocket: "🚀", warning: "⚠️", x: "❌", white_check_mark: "✅", heavy_check_mark: "✔️",
  arrows_counterclockwise: "🔄", arrow_up: "⬆️", arrow_right: "➡️", tada: "🎉", eyes: "👀",
  hourglass: "⌛", hourglass_flowing_sand: "⏳", memo: "📝", lock: "🔒", bell: "🔔",
  no_entry: "⛔", no_entry_sign: "🚫", information_source: "ℹ️", mag: "🔍", clipboard: "📋",
  "+1": "👍", thumbsup: "👍", "-1": "👎", wave: "👋", inbox_tray: "📥", page_facing_up: "📄",
  stopwatch: "⏱️", red_circle: "🔴", large_green_circle: "🟢", large_yellow_circle: "🟡",
  construction: "🚧", sparkles: "✨", bust_in_silhouette: "👤", busts_in_silhouette: "👥",
  speech_balloon: "💬", calendar: "📅", link: "🔗", pencil2: "✏️", question: "❓",
  exclamation: "❗", heavy_plus_sign: "➕", heavy_minus_sign: "➖", zap: "⚡", fire: "🔥",
};

export function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// Slack escapes only &, < and > in message text.
function unescapeSlack(text) {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

function safeHref(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

const pad = (n) => String(n).padStart(2, "0");

function formatDate(seconds, format, fallback) {
  const moment = new Date(Number(seconds) * 1000);
  if (Number.isNaN(moment.getTime())) return fallback;
  const today = new Date();
  const yesterday = new Date(today.getTime() - 86400000);
  const sameDay = (a, b) => a.toDateString() === b.toDateString();
  const month = moment.toLocaleString("en-US", { month: "short" });
  const monthLong = moment.toLocaleString("en-US", { month: "long" });
  const weekday = moment.toLocaleString("en-US", { weekday: "long" });
  const short = `${month} ${moment.getDate()}, ${moment.getFullYear()}`;
  const long = `${weekday}, ${monthLong} ${moment.getDate()}, ${moment.getFullYear()}`;
  const pretty = (plain) =>
    sameDay(moment, today) ? "Today" : sameDay(moment, yesterday) ? "Yesterday" : plain;
  const tokens = {
    date_num: `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`,
    date: `${monthLong} ${moment.getDate()}, ${moment.getFullYear()}`,
    date_short: short,
    date_long: long,
    date_pretty: pretty(`${monthLong} ${moment.getDate()}, ${moment.getFullYear()}`),
    date_short_pretty: pretty(short),
    date_long_pretty: pretty(long),
    time: `${pad(moment.getHours())}:${pad(moment.getMinutes())}`,
    time_secs: `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}`,
  };
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (whole, name) => {
    if (!(name in tokens)) unknown = true;
    return tokens[name] ?? whole;
  });
  return unknown ? fallback : text;
}

// One <…> entity: a link, a mention, a channel, a special mention or a date.
function entity(inner, people) {
  const [target, ...rest] = inner.split("|");
  const label = rest.length ? unescapeSlack(rest.join("|")) : null;
  if (target.startsWith("@")) {
    const person = people(target.slice(1));
    const name = person ? person.real_name : label || target.slice(1);
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    return `<span class="mention">#${escapeHtml(label || target.slice(1))}</span>`;
  }
  if (target.startsWith("!date^")) {
    const [, seconds, format] = target.split("^");
    const shown = formatDate(seconds, unescapeSlack(format || ""), label || "");
    return `<time title="${escapeHtml(label || "")}">${escapeHtml(shown)}</time>`;
  }
  if (target.startsWith("!")) {
    const name = target.slice(1).split("^")[0];
    return `<span class="mention">@${escapeHtml(label || name)}</span>`;
  }
  const url = unescapeSlack(target);
  const href = safeHref(url);
  const text = escapeHtml(label ?? url.replace(/^mailto:/, ""));
  if (!href) return text;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

// Bold, italic and strike in Slack's rules: the marker hugs a word, and is not inside one.
const STYLES = [
  [/(^|[^\w*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\w*])/g, "strong"],
  [/(^|[^\w_])_(?!\s)([^_\n]*?[^\s_])_(?![\w_])/g, "em"],
  [/(^|[^\w~])~(?!\s)([^~\n]*?[^\s~])~(?![\w~])/g, "del"],
];

function inline(text, people, stash) {
  let out = text.replace(/`([^`\n]+)`/g, (_, code) =>
    stash(`<code>${escapeHtml(unescapeSlack(code))}</code>`),
  );
  out = out.replace(/<([^<>\n]+)>/g, (_, inner) => stash(entity(inner, people)));
  out = escapeHtml(unescapeSlack(out));
  for (const [pattern, tag] of STYLES) {
    out = out.replace(pattern, (_, before, body) => `${before}<${tag}>${body}</${tag}>`);
  }
  return emojify(out);
}

// `people(id)` gives {real_name} for a user id, or undefined.
export function mrkdwn(source, people = () => undefined) {
  const stashed = [];
  // Private-use characters mark where finished HTML goes back in; no text contains them.
  const stash = (html) => `\uE000${stashed.push(html) - 1}\uE001`;
  let text = String(source ?? "").replace(/```\n?([\s\S]*?)```/g, (_, code) =>
    stash(`<pre>${escapeHtml(unescapeSlack(code))}</pre>`),
  );
  const lines = text.split("\n");
  const html = [];
  let quote = [];
  const flushQuote = () => {
    if (quote.length) html.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const quoted = line.match(/^(?:>|&gt;)\s?(.*)$/);
    if (quoted) {
      quote.push(inline(quoted[1], people, stash));
    } else {
      flushQuote();
      html.push(inline(line, people, stash) + "\n");
    }
  }
  flushQuote();
  text = html.join("").replace(/\n$/, "").replaceAll("\n", "<br>");
  text = text.replace(/\uE000(\d+)\uE001/g, (_, i) => stashed[Number(i)]);
  // Quotes and code blocks are blocks of their own: no line break around them.
  return text.replace(/<br>(?=<pre>|<blockquote>)/g, "").replace(/(<\/pre>|<\/blockquote>)<br>/g, "$1");
}

export function plainText(source) {
  return emojify(escapeHtml(String(source ?? "")));
}
