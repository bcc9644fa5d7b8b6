{#- The launcher a site adds with one tag: <script src="https://chat…/embed.js" async></script>.
    It draws a "chat with us" button; the button opens the chat in a frame panel. The language
    comes from the host page's lang. Nothing is loaded from anywhere but the chat's own server,
    styles are set through the DOM (no style sheet, no inline markup), and the host page's
    own scripts and styles are left alone. (A template comment: not served.) #}
// Yhdessä osallistuen: the chat launcher (embed.js).
(function () {
  "use strict";
  if (window.osallistuEmbedded) return; // added twice: one button is enough
  window.osallistuEmbedded = true;
  var script = document.currentScript;
  var origin = new URL(script.src).origin;
  // The chat refuses to be framed anywhere else (frame-ancestors); a site left out of
  // EMBED_ORIGINS shows no button rather than a panel the browser keeps empty.
  var EMBED_ORIGINS = {{ embed_origins|tojson }};
  if (location.origin !== origin && EMBED_ORIGINS.indexOf(location.origin) < 0) {
    console.warn("Yhdessä osallistuen: add " + location.origin + " to EMBED_ORIGINS to show the chat here.");
    return;
  }
  var TEXTS = {
{%- for code, _ in languages %}
    {{ code|tojson }}: {
      open: {{ _("Chat with us")|tojson }},
      close: {{ _("Close the chat")|tojson }},
      title: {{ _("Chat of the Yhdessä osallistuen project")|tojson }}
    }{{ "," if not loop.last }}
{%- endfor %}
  };
  var hostLanguage = (document.documentElement.lang || "").slice(0, 2).toLowerCase();
  var language = TEXTS[hostLanguage] ? hostLanguage : {{ default|tojson }};
  var t = TEXTS[language];
  var ACCENT = "#0b4f8a";

  function styled(element, styles) {
    Object.keys(styles).forEach(function (name) {
      element.style[name] = styles[name];
    });
    return element;
  }

  var launcher = styled(document.createElement("button"), {
    position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
    font: "600 16px/1.2 system-ui, sans-serif", padding: "12px 20px", minHeight: "48px",
    borderRadius: "24px", border: "2px solid #ffffff", background: ACCENT, color: "#ffffff",
    boxShadow: "0 2px 8px rgba(0,0,0,0.3)", cursor: "pointer"
  });
  launcher.type = "button";
  launcher.textContent = t.open;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "osallistu-chat-panel");

  var panel = styled(document.createElement("div"), {
    position: "fixed", right: "8px", bottom: "8px", zIndex: "2147483001",
    width: "min(400px, calc(100vw - 16px))", height: "min(640px, calc(100vh - 16px))",
    background: "#ffffff", border: "1px solid #4a4a55", borderRadius: "12px",
    boxShadow: "0 4px 24px rgba(0,0,0,0.35)", display: "none", flexDirection: "column",
    overflow: "hidden"
  });
  panel.id = "osallistu-chat-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", t.title);

  var close = styled(document.createElement("button"), {
    alignSelf: "flex-end", margin: "4px", minWidth: "44px", minHeight: "44px",
    font: "600 16px/1 system-ui, sans-serif", border: "2px solid " + ACCENT,
    borderRadius: "22px", background: "#ffffff", color: ACCENT, cursor: "pointer"
  });
  close.type = "button";
  close.textContent = "✕";
  close.setAttribute("aria-label", t.close);

  var frame = styled(document.createElement("iframe"), {
    flex: "1", width: "100%", border: "0"
  });
  frame.title = t.title;
  frame.setAttribute("allow", "geolocation");

  panel.appendChild(close);
  panel.appendChild(frame);

  function isOpen() {
    return panel.style.display !== "none";
  }

  function open() {
    if (!frame.src) frame.src = origin + "/?embed=1&lang=" + encodeURIComponent(language);
    panel.style.display = "flex";
    launcher.style.display = "none";
    launcher.setAttribute("aria-expanded", "true");
    frame.focus(); // into the chat; it puts the focus on its message box
  }

  function shut() {
    panel.style.display = "none";
    launcher.style.display = "";
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  close.addEventListener("click", shut);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) shut();
  });
  // Escape pressed inside the chat arrives as a message from its frame (and only from it).
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    if (event.data && event.data.type === "osallistu:close" && isOpen()) shut();
  });

  function mount() {
    document.body.appendChild(launcher);
    document.body.appendChild(panel);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
