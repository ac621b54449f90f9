// Booking page: the invoice preview follows the examinations ticked, the branch, the day and the
// patient picked, without sending the form. The page shows the first preview without it.
"use strict";

(() => {
  const box = document.getElementById("invoice-preview");
  const find = document.querySelector(".book-find");
  const book = document.getElementById("book-form");
  if (!box || !find || !book) {
    return;
  }
  let timer = 0;
  let latest = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = new URLSearchParams();
      q.set("branch", find.elements.branch.value);
      q.set("day", find.elements.day.value);
      find.querySelectorAll("input[name=exam]:checked").forEach((exam) => q.append("exam", exam.value));
      const patient = book.querySelector("input[name=patient]:checked");
      if (patient) {
        q.set("patient", patient.value);
      }
      const ask = ++latest;
      box.setAttribute("aria-busy", "true");
      try {
        const resp = await fetch(box.dataset.preview + "?" + q, { credentials: "same-origin" });
        if (ask !== latest) {
          return;
        }
        // A signed-out page is redirected to the sign-in form: only the preview itself is shown.
        if (new URL(resp.url).pathname !== box.dataset.preview) {
          box.innerHTML = '<p class="field-error">Sign in again to see the invoice.</p>';
        } else {
          box.innerHTML = resp.status < 500 ? await resp.text() : '<p class="field-error">The invoice could not be shown. Please try again.</p>';
          const ticked = q.getAll("exam").sort().join();
          const listed = [...book.querySelectorAll("input[type=hidden][name=exam]")].map((exam) => exam.value).sort().join();
          const head = box.querySelector(".invoice-head");
          if (ticked !== listed && head && book.querySelector("input[name=start]")) {
            head.insertAdjacentHTML("afterend", '<p class="invoice-note" role="status">The free times are for the examinations ticked before: press “Show free times” to book these.</p>');
          }
        }
      } catch {
        box.innerHTML = '<p class="field-error">The invoice could not be shown. Check the connection and try again.</p>';
      } finally {
        if (ask === latest) {
          box.removeAttribute("aria-busy");
        }
      }
    }, 150);
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches(".book-find input[name=exam], .book-find [name=branch], .book-find [name=day], #book-form input[name=patient]")) {
      refresh();
    }
  });
  // The patient search may pick the only patient found by itself, which sends no change event.
  const results = document.getElementById("patient-results");
  if (results) {
    new MutationObserver(refresh).observe(results, { childList: true });
  }
})();
