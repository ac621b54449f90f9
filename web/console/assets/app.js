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
