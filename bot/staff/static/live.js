// Live updates on the conversation pages: the server says "update" when something changed
// (server-sent events), and the parts marked data-live-part are fetched again. Without
// JavaScript the pages work the same, by reloading.
"use strict";

(function () {
  const source = document.body.dataset.live;
  if (!source || !window.EventSource) return;
  const parts = () => Array.from(document.querySelectorAll("[data-live-part]"));
  // One conversation's messages come from its own small fragment; the inbox is the page.
  const messages = document.getElementById("messages");
  const fragment = messages ? window.location.pathname + "/messages" : window.location.href;
  let busy = false;

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(fragment, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      parts().forEach((part) => {
        const replacement = fresh.getElementById(part.id);
        if (replacement) part.replaceWith(replacement);
      });
      const latest = document.getElementById("latest");
      if (latest && messages) latest.scrollIntoView({ block: "nearest" });
    } finally {
      busy = false;
    }
  }

  new EventSource(source).addEventListener("update", refresh);
})();
