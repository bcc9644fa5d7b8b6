// The web chat page: keeps a session id and the transcript in localStorage, posts each message
// with a client id (so a retry is handled once), and draws replies with their choice buttons.
"use strict";

(function () {
  const chat = document.getElementById("chat");
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const SESSION_KEY = "osallistu.session";
  const TRANSCRIPT_KEY = "osallistu.transcript";
  const KEEP = 60; // messages kept in the transcript
  const strings = chat.dataset;

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function session() {
    let id = localStorage.getItem(SESSION_KEY);
    if (!id) {
      id = randomId();
      localStorage.setItem(SESSION_KEY, id);
    }
    return id;
  }

  function transcript() {
    try {
      return JSON.parse(localStorage.getItem(TRANSCRIPT_KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function remember(entry) {
    const entries = transcript();
    entries.push(entry);
    localStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(entries.slice(-KEEP)));
  }

  function clearChoices() {
    log.querySelectorAll(".choices").forEach((list) => list.remove());
  }

  let lastChoices = [];

  function drawChoices(choices) {
    lastChoices = choices;
    if (!choices.length) return;
    const list = document.createElement("ul");
    list.className = "choices";
    list.setAttribute("aria-label", strings.choices);
    choices.forEach((choice) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.label;
      button.addEventListener("click", () => send({ choice: choice.id }, choice.label));
      item.appendChild(button);
      list.appendChild(item);
    });
    log.appendChild(list);
  }

  function draw(entry) {
    const bubble = document.createElement("div");
    bubble.className = "msg " + entry.who;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = (entry.who === "you" ? strings.you : strings.bot) + ": ";
    bubble.appendChild(who);
    bubble.appendChild(document.createTextNode(entry.text));
    (entry.links || []).forEach((link) => {
      bubble.appendChild(document.createElement("br"));
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.textContent = link.label;
      anchor.rel = "noopener";
      bubble.appendChild(anchor);
    });
    log.appendChild(bubble);
    if (entry.who === "bot") drawChoices(entry.choices || []);
    log.scrollTop = log.scrollHeight;
  }

  function show(entry) {
    remember(entry);
    draw(entry);
  }

  async function post(body) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await fetch("/webchat/messages", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (response.ok) return response.json();
        if (response.status < 500) throw new Error("refused " + response.status);
      } catch (error) {
        if (String(error.message).startsWith("refused")) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
    throw new Error("unreachable");
  }

  let busy = false;
  async function send(fields, shown) {
    if (busy) return;
    busy = true;
    status.textContent = "";
    const offered = lastChoices;
    clearChoices();
    if (shown) show({ who: "you", text: shown });
    const body = Object.assign({ session: session(), id: randomId(), locale: navigator.language }, fields);
    try {
      const answer = await post(body);
      answer.replies.forEach((reply) =>
        show({ who: "bot", text: reply.text, links: reply.links, choices: reply.choices })
      );
    } catch (error) {
      status.textContent = strings.error;
      drawChoices(offered); // the same buttons again, so trying once more is one tap
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });

  document.getElementById("restart").addEventListener("click", () => {
    localStorage.removeItem(SESSION_KEY);
    localStorage.removeItem(TRANSCRIPT_KEY);
    log.replaceChildren();
    send({ text: "/start" }, null);
  });

  const earlier = transcript();
  earlier.forEach((entry, index) => draw(index === earlier.length - 1 ? entry : Object.assign({}, entry, { choices: [] })));
  if (earlier.length === 0) send({ text: "/start" }, null);
})();
