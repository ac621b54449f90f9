// Queue board: moves without leaving the page, drag to order, and live updates. The board works
// without it, as plain forms and links.
"use strict";

(() => {
  const board = document.getElementById("q-board");
  if (!board) {
    return;
  }
  const message = document.getElementById("q-message");
  let dragging = false; // a drag in progress is never lost to a refresh
  let busy = 0;
  let pending = false;
  let focusAfter = null; // [session id, selector] of the control to focus once the board is new
  let hideTimer = 0;
  let fetching = false;
  let latest = 0; // only the newest fetch of the board is shown
  let soonTimer = 0;

  // The board is aria-busy while a move is on its way or the board is being fetched again.
  const mark = () => {
    const working = busy > 0 || fetching || soonTimer !== 0;
    if (working) {
      board.setAttribute("aria-busy", "true");
    } else {
      board.removeAttribute("aria-busy");
    }
  };

  document.querySelectorAll("[data-queue-pick]").forEach((field) => {
    field.addEventListener("change", () => field.form.submit());
  });

  const say = (text, ok) => {
    clearTimeout(hideTimer);
    message.textContent = text;
    message.className = "q-message " + (ok ? "q-message-ok" : "q-message-error");
    message.hidden = false;
    hideTimer = setTimeout(() => { message.hidden = true; }, ok ? 6000 : 15000);
  };

  const refresh = async () => {
    if (dragging || busy > 0) {
      pending = true;
      return;
    }
    pending = false;
    fetching = true;
    mark();
    const ask = ++latest;
    try {
      const resp = await fetch(board.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!resp.ok || ask !== latest) {
        return;
      }
      const html = await resp.text();
      if (ask !== latest) {
        return;
      }
      if (dragging || busy > 0) {
        pending = true;
        return;
      }
      board.innerHTML = html;
      setUp();
      if (focusAfter) {
        const [id, sel] = focusAfter;
        focusAfter = null;
        const el = board.querySelector(`tr[data-id="${id}"] ${sel}`);
        if (el && !el.disabled) {
          el.focus();
        }
      }
    } catch {
      // Offline for a moment: the next change or tick tries again.
    } finally {
      if (ask === latest) {
        fetching = false;
        mark();
      }
    }
  };

  const done = () => {
    busy--;
    if (busy === 0) {
      refresh();
    }
  };

  // send posts a form's fields the way the board's forms do, and says what happened.
  const send = async (url, data) => {
    busy++;
    mark();
    try {
      const resp = await fetch(url, {
        method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": board.dataset.csrf },
      });
      const json = (resp.headers.get("Content-Type") || "").includes("json") ? await resp.json() : null;
      if (resp.ok && json && json.redirect) {
        window.location.assign(json.redirect);
        return;
      }
      if (resp.ok && json) {
        say(json.message, true);
      } else if (json && json.error) {
        say(json.error.message, false);
      } else {
        say("That did not work (the page may be out of date). Reload the page and try again.", false);
      }
    } catch {
      say("The clinic's server could not be reached. Check the connection and try again.", false);
    } finally {
      done();
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !board.contains(form) || !form.matches("[data-queue-action]")) {
      return;
    }
    event.preventDefault();
    const data = new FormData(form, event.submitter);
    if (form.matches("[data-queue-order]") && event.submitter) {
      focusAfter = [data.get("move"), `button[value="${event.submitter.value}"]`];
    }
    send(form.action, data);
  });

  const setUp = () => {
    const rows = board.querySelector(".q-rows[data-order-url]");
    if (!rows || !window.Sortable) {
      return;
    }
    window.Sortable.create(rows, {
      handle: ".q-handle",
      draggable: ".q-draggable",
      // Pointer events rather than the browser's drag and drop: the same on a tablet's touch screen,
      // a mouse and in tests.
      forceFallback: true,
      fallbackTolerance: 4,
      animation: 120,
      // From the touch that picks a row up to its drop, the board is not replaced.
      onChoose: () => { dragging = true; },
      onUnchoose: () => {
        dragging = false;
        if (pending) {
          refresh();
        }
      },
      onEnd: (event) => {
        const drop = event.originalEvent || {};
        if (drop.pointerType === "touch" || drop.pointerType === "pen" || String(drop.type).startsWith("touch")) {
          // The library swallows the click that follows a mouse drop; a finger's drop is followed by
          // none, so it would swallow the next tap instead. Spend that guard now.
          setTimeout(() => document.body.dispatchEvent(new MouseEvent("click", { bubbles: true })), 0);
        }
        const form = rows.querySelector("form[data-queue-order]");
        if (event.oldIndex === event.newIndex || !form) {
          return;
        }
        const data = new FormData(form);
        data.delete("move");
        data.set("order", Array.from(rows.querySelectorAll("tr.q-draggable"), (tr) => tr.dataset.id).join(","));
        send(rows.dataset.orderUrl, data);
      },
    });
  };
  setUp();

  if (board.dataset.stream && window.EventSource) {
    const soon = () => {
      clearTimeout(soonTimer);
      soonTimer = setTimeout(() => {
        soonTimer = 0;
        refresh();
      }, 250);
      mark();
    };
    const events = new EventSource(board.dataset.stream);
    events.addEventListener("change", soon);
    events.addEventListener("reload", soon);
  }
  // Waiting times and expected times move with the clock.
  setInterval(refresh, 60000);
})();
