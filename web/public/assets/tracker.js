// The queue tracker follows its session live: each `place` event carries the page's texts, already
// written in the page's language; a final state (completed, cancelled, missed) or `gone` (the link
// expired) ends the stream. The browser's EventSource reconnects by itself after a dropped connection.
(function () {
  "use strict";
  var root = document.querySelector("[data-events]");
  if (!root || !window.EventSource) return;
  var live = root.querySelector("[data-live]");
  var offline = root.querySelector("[data-offline]");
  var finals = ["completed", "cancelled", "no_show"];

  function show(texts, state) {
    root.dataset.state = state;
    root.querySelectorAll("[data-text]").forEach(function (el) {
      var v = texts[el.dataset.text] || "";
      el.textContent = v;
      var row = el.closest("[data-row]") || el;
      row.hidden = v === "";
    });
  }

  var source = new EventSource(root.dataset.events);
  source.onopen = function () { offline.hidden = true; live.hidden = false; };
  function gone() {
    source.close();
    show({ headline: root.dataset.goneTitle, detail: root.dataset.goneDetail }, "gone");
    live.hidden = true; offline.hidden = true;
  }
  source.onerror = function () {
    // A closed source was refused outright (the link no longer opens); otherwise it is retrying.
    if (source.readyState === EventSource.CLOSED) { gone(); return; }
    offline.hidden = false; live.hidden = true;
  };
  source.addEventListener("place", function (e) {
    var place = JSON.parse(e.data);
    show(place.text, place.status);
    if (finals.indexOf(place.status) >= 0) {
      source.close();
      live.hidden = true;
    }
  });
  source.addEventListener("gone", gone);
})();
