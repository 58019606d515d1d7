// Modals opened by the app, with their inputs, and Slack's confirm dialogs.

import { h, plain, renderBlocks, textHtml } from "./blocks.js";
import { plainText } from "./mrkdwn.js";

// A button's `confirm` object, asked before the click is sent. Resolves to true to go ahead.
export function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const finish = (answer) => {
      backdrop.remove();
      resolve(answer);
    };
    const style = confirm.style ? ` bk-button-${confirm.style}` : " bk-button-primary";
    const dialog = h(
      "div",
      { class: "modal confirm", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "confirm-title" },
      h("header", { class: "modal-header" }, h("h2", { id: "confirm-title", html: plainText(plain(confirm.title) || "Are you sure?") })),
      h("div", { class: "modal-body", html: textHtml(confirm.text) }),
      h(
        "footer",
        { class: "modal-footer" },
        h("button", { type: "button", class: "bk-button", onclick: () => finish(false) }, plain(confirm.deny) || "Cancel"),
        h("button", { type: "button", class: `bk-button${style}`, onclick: () => finish(true) }, plain(confirm.confirm) || "Yes"),
      ),
    );
    const backdrop = h("div", { class: "modal-backdrop confirm-backdrop" }, dialog);
    backdrop.addEventListener("keydown", (event) => event.key === "Escape" && finish(false));
    document.body.append(backdrop);
    dialog.querySelector(".modal-footer button:last-child").focus();
  });
}

function options(element) {
  const option = (o) => h("option", { value: o.value }, plain(o.text));
  if (element.option_groups) {
    return element.option_groups.map((g) => h("optgroup", { label: plain(g.label) }, g.options.map(option)));
  }
  return (element.options ?? []).map(option);
}

function choices(element, id, multiple) {
  const initial = multiple
    ? new Set((element.initial_options ?? []).map((o) => o.value))
    : new Set([element.initial_option?.value]);
  return h(
    "fieldset",
    { class: "bk-choices", id },
    (element.options ?? []).map((o) =>
      h(
        "label",
        { class: "bk-choice" },
        h("input", { type: multiple ? "checkbox" : "radio", name: id, value: o.value, checked: initial.has(o.value) }),
        " ",
        h("span", { html: textHtml(o.text) }),
      ),
    ),
  );
}

function control(element, id, users) {
  const common = { id, "data-action-id": element.action_id, placeholder: plain(element.placeholder) || undefined };
  const textual = { plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "number" };
  if (element.type in textual) {
    const attrs = { ...common, maxlength: element.max_length, minlength: element.min_length };
    if (element.type === "plain_text_input" && element.multiline) {
      const area = h("textarea", { ...attrs, rows: 4 });
      area.value = element.initial_value ?? "";
      return area;
    }
    const input = h("input", { ...attrs, type: textual[element.type], step: element.is_decimal_allowed ? "any" : undefined });
    input.value = element.initial_value ?? "";
    return input;
  }
  if (element.type === "users_select" || element.type === "multi_users_select") {
    const multiple = element.type === "multi_users_select";
    const chosen = new Set(multiple ? element.initial_users ?? [] : [element.initial_user]);
    return h(
      "select",
      { ...common, multiple },
      multiple ? null : h("option", { value: "", disabled: true, selected: !element.initial_user }, plain(element.placeholder) || "Choose someone"),
      users.map((u) => h("option", { value: u.id, selected: chosen.has(u.id) }, u.real_name)),
    );
  }
  if (element.type === "static_select") {
    const select = h(
      "select",
      common,
      h("option", { value: "", disabled: true, selected: true }, plain(element.placeholder) || "Choose an option"),
      options(element),
    );
    if (element.initial_option) select.value = element.initial_option.value;
    return select;
  }
  if (element.type === "datepicker") {
    return h("input", { ...common, type: "date", value: element.initial_date });
  }
  if (element.type === "radio_buttons") return choices(element, id, false);
  if (element.type === "checkboxes") return choices(element, id, true);
  return h("div", { class: "bk-unsupported" }, `[${element.type} is not available in the sandbox]`);
}

export function renderInput(block, users) {
  const element = block.element ?? {};
  const id = `input-${block.block_id}`;
  return h(
    "div",
    { class: "bk-input", "data-type": element.type },
    h("label", { for: id, class: "bk-label" }, plain(block.label), block.optional ? h("span", { class: "optional" }, " (optional)") : null),
    control(element, id, users),
    block.hint ? h("div", { class: "bk-hint", html: textHtml(block.hint) }) : null,
    h("div", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

// What the person entered, by block id; absent where nothing was chosen (Slack sends null).
function readInput(wrapper) {
  const type = wrapper.dataset.type;
  const field = wrapper.querySelector("input, textarea, select");
  if (!field) return undefined;
  if (type === "checkboxes") return [...wrapper.querySelectorAll("input:checked")].map((i) => i.value);
  if (type === "radio_buttons") return wrapper.querySelector("input:checked")?.value;
  if (type === "multi_users_select") return [...field.selectedOptions].map((o) => o.value);
  if (field.tagName === "SELECT" || type === "datepicker") return field.value || undefined;
  return field.value === "" ? null : field.value;
}

export class ModalLayer {
  constructor({ users, people, onSubmit, onCancel, onButton }) {
    Object.assign(this, { users, people, onSubmit, onCancel, onButton });
    this.shown = null;
    this.backdrop = h("div", { class: "modal-backdrop", hidden: true });
    this.backdrop.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.shown) this.onCancel(this.shown);
    });
    document.body.append(this.backdrop);
  }

  values() {
    const values = {};
    for (const wrapper of this.backdrop.querySelectorAll(".bk-input")) {
      const value = readInput(wrapper);
      if (value !== undefined) values[wrapper.dataset.blockId] = value;
    }
    return values;
  }

  // `modals` is the person's stack, bottom first; the top one is what they see.
  show(modals) {
    const top = modals.at(-1) ?? null;
    if (!top) {
      this.shown = null;
      this.backdrop.hidden = true;
      this.backdrop.replaceChildren();
      return;
    }
    if (!this.shown || this.shown.id !== top.id || this.shown.hash !== top.hash) {
      // An updated modal keeps what was typed into the inputs it still has, as Slack does.
      const kept = this.shown?.id === top.id ? this.values() : {};
      this.render(top);
      for (const wrapper of this.backdrop.querySelectorAll(".bk-input")) {
        const value = kept[wrapper.dataset.blockId];
        const field = wrapper.querySelector("input, textarea, select");
        if (typeof value === "string" && field && field.type !== "radio" && field.type !== "checkbox") field.value = value;
      }
    }
    this.shown = top;
    this.showErrors(top.errors ?? {});
  }

  render(view) {
    const definition = view.definition;
    const ctx = {
      people: this.people,
      onButton: (block, element, el) => this.onButton(view, block, element, el),
      renderInput: (block) => renderInput(block, this.users()),
    };
    const submit = plain(definition.submit);
    const form = h(
      "form",
      {
        class: "modal",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": "modal-title",
        "data-view-id": view.id,
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          const button = form.querySelector("button[type=submit]");
          button.disabled = true;
          try {
            await this.onSubmit(view, this.values());
          } finally {
            button.disabled = false;
          }
        },
      },
      h(
        "header",
        { class: "modal-header" },
        h("h2", { id: "modal-title", html: plainText(plain(definition.title)) }),
        h("button", { type: "button", class: "modal-x", "aria-label": "Close", onclick: () => this.onCancel(view) }, "×"),
      ),
      h("div", { class: "form-error", role: "alert", hidden: true }),
      h("div", { class: "modal-body" }, renderBlocks(definition.blocks, ctx)),
      h(
        "footer",
        { class: "modal-footer" },
        h("button", { type: "button", class: "bk-button", onclick: () => this.onCancel(view) }, plain(definition.close) || (submit ? "Cancel" : "Close")),
        submit ? h("button", { type: "submit", class: "bk-button bk-button-primary" }, submit) : null,
      ),
    );
    this.backdrop.replaceChildren(form);
    this.backdrop.hidden = false;
    (form.querySelector(".bk-input input, .bk-input textarea, .bk-input select") ?? form.querySelector("footer button:last-child"))?.focus();
  }

  showErrors(errors) {
    for (const wrapper of this.backdrop.querySelectorAll(".bk-input")) {
      const message = errors[wrapper.dataset.blockId];
      const box = wrapper.querySelector(".field-error");
      const field = wrapper.querySelector("input, textarea, select, fieldset");
      box.textContent = message ?? "";
      box.hidden = !message;
      wrapper.classList.toggle("has-error", Boolean(message));
      field?.setAttribute("aria-invalid", message ? "true" : "false");
      if (message) field?.setAttribute("aria-describedby", box.id);
      else field?.removeAttribute("aria-describedby");
    }
    const general = this.backdrop.querySelector(".form-error");
    if (general) {
      const known = new Set([...this.backdrop.querySelectorAll(".bk-input")].map((w) => w.dataset.blockId));
      const other = Object.entries(errors).filter(([key]) => !known.has(key)).map(([, text]) => text);
      general.textContent = other.join(" ");
      general.hidden = other.length === 0;
    }
  }
}
