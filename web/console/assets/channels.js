// Channels page: while WhatsApp shows a QR code, follow it. The server is asked every 3 s for the
// link's state and the code's version; a new code replaces the image, a new state reloads the page.
(function () {
  "use strict";
  var card = document.querySelector("[data-follow]");
  if (!card) { return; }
  var url = card.getAttribute("data-follow");
  var state = card.getAttribute("data-state");
  var version = card.getAttribute("data-version");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (s) {
      if (!s) { return; }
      if (s.state !== state) { window.location.reload(); return; }
      if (s.version && s.version !== version) {
        version = s.version;
        var img = card.querySelector(".qr-image");
        if (img) { img.src = "/console/settings/channels/whatsapp/qr.png?v=" + version; } else { window.location.reload(); }
      } else if (!s.version && version) {
        window.location.reload();
      }
    }).catch(function () {}).then(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 3000);
})();
