// Block Kit to DOM: what messages, modals and the Home tab are made of.
// `ctx` = { people(id), onButton(block, button, element), renderInput(block) }.

import { mrkdwn, plainText } from "./mrkdwn.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "html") el.innerHTML = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function textHtml(obj, people) {
  if (!obj) return "";
  if (typeof obj === "string") return mrkdwn(obj, people);
  return obj.type === "mrkdwn" ? mrkdwn(obj.text, people) : plainText(obj.text);
}

export function plain(obj) {
  return typeof obj === "string" ? obj : obj?.text ?? "";
}

export function button(block, element, ctx) {
  const style = element.style ? ` bk-button-${element.style}` : "";
  return h(
    "button",
    {
      type: "button",
      class: `bk-button${style}`,
      "data-action-id": element.action_id,
      "data-block-id": block.block_id,
      html: plainText(plain(element.text)),
      onclick: (event) => ctx.onButton?.(block, element, event.currentTarget),
    },
  );
}

function element(block, el, ctx) {
  if (el.type === "button") return button(block, el, ctx);
  if (el.type === "image") return h("img", { class: "bk-image-small", src: el.image_url, alt: el.alt_text || "" });
  if (el.type === "mrkdwn" || el.type === "plain_text") {
    return h("span", { class: "bk-context-text", html: textHtml(el, ctx.people) });
  }
  return h("span", { class: "bk-unsupported" }, `[${el.type} is not shown in the sandbox]`);
}

function richText(node) {
  if (!node || typeof node !== "object") return "";
  if (node.type === "text") return node.text ?? "";
  if (node.type === "link") return node.text || node.url || "";
  if (node.type === "user") return `<@${node.user_id}>`;
  const children = (node.elements ?? []).map(richText).join("");
  return node.type === "rich_text_section" ? `${children}\n` : children;
}

const RENDERERS = {
  header: (block) => h("h3", { class: "bk-header", html: plainText(plain(block.text)) }),
  divider: () => h("hr", { class: "bk-divider" }),
  section: (block, ctx) =>
    h(
      "div",
      { class: "bk-section" },
      h(
        "div",
        { class: "bk-section-main" },
        block.text ? h("div", { class: "bk-text", html: textHtml(block.text, ctx.people) }) : null,
        block.fields?.length
          ? h(
              "div",
              { class: "bk-fields" },
              block.fields.map((f) => h("div", { class: "bk-field", html: textHtml(f, ctx.people) })),
            )
          : null,
      ),
      block.accessory ? h("div", { class: "bk-accessory" }, element(block, block.accessory, ctx)) : null,
    ),
  context: (block, ctx) =>
    h("div", { class: "bk-context" }, (block.elements ?? []).map((el) => element(block, el, ctx))),
  actions: (block, ctx) =>
    h(
      "div",
      { class: "bk-actions", role: "group" },
      (block.elements ?? []).map((el) => element(block, el, ctx)),
    ),
  image: (block) =>
    h(
      "figure",
      { class: "bk-figure" },
      block.title ? h("figcaption", {}, plain(block.title)) : null,
      h("img", { src: block.image_url, alt: block.alt_text || "" }),
    ),
  markdown: (block, ctx) => h("div", { class: "bk-text", html: mrkdwn(block.text, ctx.people) }),
  rich_text: (block, ctx) =>
    h("div", { class: "bk-text", html: mrkdwn(richText(block).replace(/\n$/, ""), ctx.people) }),
  input: (block, ctx) =>
    ctx.renderInput
      ? ctx.renderInput(block)
      : h("div", { class: "bk-unsupported" }, "[an input, shown only in a modal]"),
};

export function renderBlocks(blocks, ctx) {
  const container = h("div", { class: "bk-blocks" });
  for (const block of blocks ?? []) {
    const render = RENDERERS[block.type];
    const el = render
      ? render(block, ctx)
      : h("div", { class: "bk-unsupported" }, `[a ${block.type} block is not shown in the sandbox]`);
    if (block.block_id) el.dataset.blockId = block.block_id;
    container.append(el);
  }
  return container;
}
