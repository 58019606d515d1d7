// The "Schema registry" panel: the subjects and versions of the registry beside the sandbox,
// as the sandbox reads them from the registry's REST API (GET /ui/registry). Hidden when the
// sandbox runs without a registry.

import { h } from "./blocks.js";

// Registrations also happen outside the page (an approval, a direct REST call): look again
// every few seconds, and at once when the page is told something changed.
const REFRESH_MS = 3000;
const $ = (id) => document.getElementById(id);

let reading = null;

function versionItem(version) {
  return h("li", { class: "registry-version" }, `v${version.version} (id ${version.id})`);
}

function subjectItem(subject) {
  return h(
    "li",
    { class: "registry-subject" },
    h("code", { class: "registry-subject-name" }, subject.subject),
    h("ul", { class: "registry-versions", "aria-label": `Versions of ${subject.subject}` }, ...subject.versions.map(versionItem)),
  );
}

function render(listing) {
  const panel = $("registry");
  panel.hidden = listing.url === null;
  if (panel.hidden) return;
  $("registry-url").textContent = listing.url;
  const list = $("registry-list");
  const note = $("registry-note");
  if (listing.error) {
    note.textContent = listing.error;
    list.replaceChildren();
    return;
  }
  const subjects = listing.subjects;
  note.textContent = subjects.length
    ? listing.more
      ? `and ${listing.more} more subjects.`
      : ""
    : "No subjects yet: an approved version is registered here.";
  list.replaceChildren(...subjects.map(subjectItem));
}

export async function refreshRegistry() {
  // One reading at a time: a refresh asked during one is answered by it.
  reading ??= fetch("/ui/registry")
    .then((response) => response.json())
    .then(render, (error) => {
      $("registry-note").textContent = `The sandbox did not answer (${error.message}). Is it still running?`;
    })
    .finally(() => {
      reading = null;
    });
  return reading;
}

export function startRegistryPanel() {
  refreshRegistry();
  setInterval(refreshRegistry, REFRESH_MS);
}
