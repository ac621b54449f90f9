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

// Booking: search patients as the name or phone is typed, and list them to pick from.
(() => {
  const box = document.querySelector("[data-search]");
  const results = document.getElementById("patient-results");
  if (!box || !results) {
    return;
  }
  let timer = 0;
  let latest = 0;
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
  box.addEventListener("input", () => {
    clearTimeout(timer);
    const q = box.value.trim();
    if (q.length < 2) {
      return;
    }
    timer = setTimeout(async () => {
      const ask = ++latest;
      try {
        const resp = await fetch(box.dataset.search + "?q=" + encodeURIComponent(q), { credentials: "same-origin" });
        if (ask !== latest) {
          return;
        }
        results.innerHTML = resp.ok ? await resp.text() : '<p class="field-error">The search did not work. Please try again.</p>';
        const only = results.querySelectorAll("input[name=patient]");
        if (only.length === 1) {
          only[0].checked = true;
        }
      } catch {
        results.innerHTML = '<p class="field-error">The search did not work. Check the connection and try again.</p>';
      }
    }, 200);
  });
})();

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
    if (el.dataset.lanes) {
      const share = 100 / Number(el.dataset.lanes);
      el.style.left = `calc(${share * Number(el.dataset.lane)}% + 2px)`;
      el.style.right = "auto";
      el.style.width = `calc(${share}% - 4px)`;
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

// Session page: the template chooser applies on change, BMI follows weight and height, and the
// diagnosis code inputs search the ICD-10 list as one types.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

document.addEventListener("input", (event) => {
  const input = event.target;
  if (input.name === "vitals.weight_kg" || input.name === "vitals.height_cm") {
    const form = input.form;
    const out = form.querySelector("[data-bmi]");
    const w = parseFloat(form.elements["vitals.weight_kg"].value.replace(",", "."));
    const h = parseFloat(form.elements["vitals.height_cm"].value.replace(",", ".")) / 100;
    out.textContent = w > 0 && h > 0 ? (Math.round((w / (h * h)) * 10) / 10).toFixed(1) : "—";
  }
  if (input.matches("[data-icd10]")) {
    clearTimeout(input.icd10Timer);
    const q = input.value.trim();
    if (q.length < 2) {
      return;
    }
    input.icd10Timer = setTimeout(async () => {
      const response = await fetch("/console/icd10?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
      if (!response.ok) {
        return;
      }
      const { items } = await response.json();
      const list = document.getElementById(input.getAttribute("list"));
      list.replaceChildren(...items.map((c) => {
        const option = document.createElement("option");
        option.value = c.code;
        option.label = c.code + " " + c.title;
        option.textContent = c.title;
        return option;
      }));
    }, 200);
  }
});

// A Copy button (data-copy naming a field) puts the field's text on the clipboard and says so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    // Without the clipboard API (a page not served over https), the selected text is copied the old way.
    document.execCommand("copy");
  }
  const label = button.textContent;
  button.textContent = button.dataset.copied || "Copied";
  setTimeout(() => { button.textContent = label; }, 2000);
});
