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
  const LANGUAGE_KEY = "osallistu.language"; // the language the person chose in the chat
  const KEEP = 60; // messages kept in the transcript
  const strings = chat.dataset;
  // The bot speaks the page's language: the person's own choice in the chat first, then
  // the host site's (embed.js passes it), then the browser's.
  const pageLanguage = document.documentElement.lang || navigator.language;

  // localStorage keeps the chat over a reload. A browser may refuse it (a frame on another
  // site with third-party storage blocked, a private window): the chat then lives in memory
  // for as long as the page is open, rather than not at all.
  const store = (function () {
    try {
      const probe = "osallistu.probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      const memory = new Map();
      return {
        getItem: (key) => (memory.has(key) ? memory.get(key) : null),
        setItem: (key, value) => memory.set(key, String(value)),
        removeItem: (key) => memory.delete(key),
      };
    }
  })();

  // The page in the language the person chose: drawn again in it, the chat kept.
  function showPageIn(language) {
    if (!language || language === document.documentElement.lang) return false;
    const address = new URL(window.location.href);
    address.searchParams.set("lang", language);
    window.location.replace(address.toString());
    return true;
  }
  if (showPageIn(store.getItem(LANGUAGE_KEY))) return;

  // Only web addresses become links: never javascript: or data: from imported data.
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function session() {
    let id = store.getItem(SESSION_KEY);
    if (!id) {
      id = randomId();
      store.setItem(SESSION_KEY, id);
    }
    return id;
  }

  function transcript() {
    try {
      return JSON.parse(store.getItem(TRANSCRIPT_KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function remember(entry) {
    const entries = transcript();
    entries.push(entry);
    store.setItem(TRANSCRIPT_KEY, JSON.stringify(entries.slice(-KEEP)));
  }

  function clearChoices() {
    log.querySelectorAll(".choices").forEach((list) => list.remove());
  }

  const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
  const photoInput = document.getElementById("photo");
  let lastOffer = { choices: [] };

  function button(label, onClick, extraClass) {
    const item = document.createElement("li");
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    if (extraClass) element.className = extraClass;
    element.addEventListener("click", onClick);
    item.appendChild(element);
    return item;
  }

  function shareLocation() {
    if (!navigator.geolocation) {
      status.textContent = strings.locationFailed;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) =>
        send(
          { location: { lat: position.coords.latitude, lon: position.coords.longitude } },
          strings.locationShared
        ),
      () => {
        status.textContent = strings.locationFailed;
      },
      { timeout: 15000, maximumAge: 60000 }
    );
  }

  // A camera photo of 12 MB goes slowly over a weak connection and past the limit: scale its
  // long side down to 2,048 pixels first (upright, as the camera meant it). The server
  // encodes every photo anew anyway, so nothing of the original's metadata is needed.
  const LONG_SIDE = 2048;
  async function scaledDown(file) {
    if (!window.createImageBitmap || file.type === "image/gif") return file;
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= MAX_PHOTO_BYTES / 2) return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
      return blob || file;
    } catch (error) {
      return file; // a format the browser cannot draw: the server decides
    }
  }

  async function sendPhoto(file) {
    if (!file) return;
    const photo = await scaledDown(file);
    if (photo.size > MAX_PHOTO_BYTES) {
      status.textContent = strings.photoFailed;
      return;
    }
    try {
      const response = await withPatience(() =>
        fetch("/webchat/images?session=" + encodeURIComponent(session()), {
          method: "POST",
          headers: { "Content-Type": photo.type || "application/octet-stream" },
          body: photo,
        })
      );
      if (response.status === 429) return; // the status line says why and for how long
      if (!response.ok) throw new Error("refused " + response.status);
      const stored = await response.json();
      send({ image: stored.image }, strings.photoSent);
    } catch (error) {
      status.textContent = strings.photoFailed;
    }
  }

  photoInput.addEventListener("change", () => {
    sendPhoto(photoInput.files[0]);
    photoInput.value = "";
  });

  // The buttons under the newest message: its choices, and where asked for, location or photo.
  // Only the newest set is live: older ones go when a new one comes.
  function drawChoices(offer) {
    lastOffer = offer;
    const choices = offer.choices || [];
    if (!choices.length && !offer.request_location && !offer.request_image) return;
    clearChoices();
    const list = document.createElement("ul");
    list.className = "choices";
    list.setAttribute("aria-label", strings.choices);
    if (offer.request_location) list.appendChild(button(strings.shareLocation, shareLocation, "special"));
    if (offer.request_image) list.appendChild(button(strings.addPhoto, () => photoInput.click(), "special"));
    choices.forEach((choice) => {
      list.appendChild(button(choice.label, () => send({ choice: choice.id }, choice.label)));
    });
    log.appendChild(list);
  }

  function drawPlaces(places) {
    const list = document.createElement("ul");
    list.className = "places";
    places.forEach((place) => {
      const item = document.createElement("li");
      item.className = "place";
      const title = document.createElement("h3");
      title.textContent = place.title;
      item.appendChild(title);
      [place.status, place.address].filter(Boolean).forEach((line) => {
        const text = document.createElement("p");
        text.textContent = line;
        item.appendChild(text);
      });
      if (safeUrl(place.map_url)) {
        const map = document.createElement("a");
        map.href = place.map_url;
        map.textContent = strings.map + ": " + place.title;
        map.rel = "noopener";
        item.appendChild(map);
      }
      list.appendChild(item);
    });
    log.appendChild(list);
  }

  function draw(entry) {
    const bubble = document.createElement("div");
    // A person of the team signs their message with their name, shown; the bot's and the
    // resident's own are told apart by colour, and named for screen readers.
    const person = entry.who === "bot" && entry.from_person;
    bubble.className = "msg " + (person ? "bot person" : entry.who);
    const who = document.createElement("span");
    who.className = person ? "name" : "who";
    who.textContent = person ? entry.from_person : (entry.who === "you" ? strings.you : strings.bot) + ": ";
    bubble.appendChild(who);
    bubble.appendChild(document.createTextNode(entry.text));
    (entry.links || []).filter((link) => safeUrl(link.url)).forEach((link) => {
      bubble.appendChild(document.createElement("br"));
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.textContent = link.label;
      anchor.rel = "noopener";
      bubble.appendChild(anchor);
    });
    log.appendChild(bubble);
    document.body.classList.add("started"); // a compact header once the chat has begun
    if (entry.places && entry.places.length) drawPlaces(entry.places);
    if (entry.who === "bot") drawChoices(entry);
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  // A long answer on a small screen is read from its beginning: the first new message goes
  // to the top of the log rather than only its buttons being in view.
  function readFrom(first) {
    if (first && log.scrollHeight - first.offsetTop > log.clientHeight) {
      log.scrollTop = first.offsetTop - 8; // the log is positioned: offsets are within it
    }
  }

  function fromReply(reply) {
    return {
      who: "bot",
      text: reply.text,
      links: reply.links,
      choices: reply.choices,
      places: reply.places,
      request_location: reply.request_location,
      request_image: reply.request_image,
      from_person: reply.from_person || null,
    };
  }

  // The resident's last message reached the team: a small "sent" under it.
  function markSent() {
    const mine = log.querySelectorAll(".msg.you");
    const last = mine[mine.length - 1];
    if (!last || last.querySelector(".sent")) return;
    const sent = document.createElement("span");
    sent.className = "sent";
    sent.textContent = strings.sent;
    last.appendChild(sent);
  }

  function show(entry) {
    remember(entry);
    return draw(entry);
  }

  function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // "Not yet" (429) says what to tell the person and when to send the same again: the
  // message is shown, the buttons stay, and the request goes again by itself.
  // A wait longer than a minute (too many photos in an hour) is told, not waited out.
  const MAX_WAITS = 20;
  const LONGEST_WAIT = 60;
  async function withPatience(request, onWait) {
    for (let wait = 0; ; wait++) {
      const response = await request();
      if (response.status !== 429) return response;
      const seconds = Math.max(Number(response.headers.get("Retry-After")) || 2, 1);
      try {
        const answer = await response.clone().json();
        if (answer.message) status.textContent = answer.message;
      } catch (error) {
        // no text: the status line keeps what it had
      }
      if (wait >= MAX_WAITS || seconds > LONGEST_WAIT) return response;
      if (onWait) onWait();
      await pause(seconds * 1000);
    }
  }

  async function post(body, onWait) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await withPatience(
          () =>
            fetch("/webchat/messages", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify(body),
            }),
          onWait
        );
        if (response.ok) {
          status.textContent = "";
          return response.json();
        }
        if (response.status < 500) throw new Error("refused " + response.status);
      } catch (error) {
        if (String(error.message).startsWith("refused")) throw error;
      }
      await pause(500 * (attempt + 1));
    }
    throw new Error("unreachable");
  }

  // Messages go out one at a time and in order: one typed while an answer is on its way waits
  // its turn instead of being lost.
  let queue = Promise.resolve();
  function send(fields, shown) {
    queue = queue.then(() => deliver(fields, shown));
    return queue;
  }

  async function deliver(fields, shown) {
    status.textContent = "";
    const offered = lastOffer;
    clearChoices();
    if (shown) show({ who: "you", text: shown });
    const body = Object.assign({ session: session(), id: randomId(), locale: pageLanguage }, fields);
    let waiting = false;
    const keepChoices = () => {
      if (!waiting) drawChoices(offered); // the same buttons stay while the message waits
      waiting = true;
    };
    try {
      const answer = await post(body, keepChoices);
      if (waiting) clearChoices();
      if (answer.forgotten) {
        forgetDevice(answer.replies);
        return;
      }
      if (!answer.replies.length) markSent(); // passed on to a person: no answer, but sent
      const drawn = answer.replies.map((reply) => show(fromReply(reply)));
      readFrom(drawn[0]);
      if (answer.language && answer.language !== document.documentElement.lang) {
        store.setItem(LANGUAGE_KEY, answer.language);
        showPageIn(answer.language);
        return;
      }
    } catch (error) {
      status.textContent = strings.error;
      if (!waiting) drawChoices(offered); // the same buttons again: trying once more is one tap
      return;
    }
    await fetchUpdates();
  }

  // Messages that come later (a staff answer to an idea): asked for now and then; what was
  // drawn is acknowledged in the next request, and ids already drawn are never drawn again.
  const DRAWN_KEY = "osallistu.drawn";
  const POLL_MS = 30000;
  let toAcknowledge = [];
  function drawnIds() {
    try {
      return JSON.parse(store.getItem(DRAWN_KEY) || "[]");
    } catch (error) {
      return [];
    }
  }
  async function fetchUpdates() {
    if (!store.getItem(SESSION_KEY)) return;
    const ack = toAcknowledge;
    try {
      const response = await withPatience(() =>
        fetch("/webchat/updates", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ session: session(), ack: ack }),
        })
      );
      if (!response.ok) return;
      const answer = await response.json();
      toAcknowledge = toAcknowledge.filter((id) => !ack.includes(id));
      const drawn = drawnIds();
      answer.updates.forEach((update) => {
        toAcknowledge.push(update.id);
        if (drawn.includes(update.id)) return;
        drawn.push(update.id);
        show(fromReply(update.reply));
      });
      store.setItem(DRAWN_KEY, JSON.stringify(drawn.slice(-50)));
    } catch (error) {
      // offline for a moment: the next round asks again
    }
  }
  setInterval(() => {
    if (document.visibilityState === "visible") queue = queue.then(fetchUpdates);
  }, POLL_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") queue = queue.then(fetchUpdates);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });

  function forgetStored() {
    [SESSION_KEY, TRANSCRIPT_KEY, DRAWN_KEY, LANGUAGE_KEY].forEach((key) => store.removeItem(key));
  }

  // "Delete my data": on a library computer the next person must not read the last one's
  // name and phone number, so the transcript kept on this device goes too, and it says so.
  function forgetDevice(replies) {
    forgetStored();
    log.replaceChildren();
    // The note before the last reply, whose button starts a new conversation.
    replies.slice(0, -1).forEach((reply) => draw(fromReply(reply)));
    draw({ who: "bot", text: strings.deviceForgotten });
    replies.slice(-1).forEach((reply) => draw(fromReply(reply)));
  }

  document.getElementById("restart").addEventListener("click", () => {
    forgetStored();
    log.replaceChildren();
    send({ text: "/start" }, null);
  });

  // In another site's frame (embed.js): the message box takes the focus, and Escape asks
  // the launcher to close the panel (the key never reaches the host page otherwise).
  if (document.body.classList.contains("embedded")) {
    input.focus();
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && window.parent !== window) {
        window.parent.postMessage({ type: "osallistu:close" }, "*");
      }
    });
  }

  const earlier = transcript();
  earlier.forEach((entry, index) =>
    draw(
      index === earlier.length - 1
        ? entry
        : Object.assign({}, entry, { choices: [], request_location: false, request_image: false })
    )
  );
  if (earlier.length === 0) send({ text: "/start" }, null);
  queue = queue.then(fetchUpdates);
})();
