// Staff console: small touches of feedback on server-rendered pages. Everything works without it.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter || form.querySelector("button[type=submit]");
  // A destructive action asks first.
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  // Show that the request is on its way, and keep a double click from sending it twice.
  if (button && button.dataset.busy) {
    button.textContent = button.dataset.busy;
    setTimeout(() => { button.disabled = true; }, 0);
  }
});

document.addEventListener("click", (event) => {
  const close = event.target.closest(".flash-close");
  if (close) {
    close.closest(".flash").remove();
  }
});

// Calendar: place hours, sessions, blocks and free slots by their minutes (the page's policy allows no
// inline styles), open the drawing at the day's first item, and apply a changed branch or date.
(() => {
  const perMinute = 1.1;
  const px = (el, name) => `${Number(el.dataset[name]) * perMinute}px`;
  document.querySelectorAll(".cal-body[data-minutes]").forEach((body) => { body.style.height = px(body, "minutes"); });
  document.querySelectorAll(".cal-body [data-top]").forEach((el) => {
    el.style.top = px(el, "top");
    if (el.dataset.len) {
      el.style.height = `${Math.max(Number(el.dataset.len) * perMinute, 14)}px`;
    }
  });
  const scroll = document.querySelector(".cal-scroll[data-scroll-to]");
  if (scroll) {
    scroll.scrollTop = Number(scroll.dataset.scrollTo) * perMinute;
  }
  document.querySelectorAll("[data-autosubmit]").forEach((field) => {
    field.addEventListener("change", () => field.form.requestSubmit());
  });
})();
