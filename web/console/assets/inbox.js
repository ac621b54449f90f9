// Booking inbox: the list and a request's page follow the inbox live. The server says which request
// or conversation changed; the page fetches the part that shows it again. Everything works without
// this script, with a reload.
"use strict";

(() => {
  const list = document.getElementById("inbox-list");
  const request = document.getElementById("inbox-request");
  const root = list || request;
  if (!root || !root.dataset.stream || !window.EventSource) {
    return;
  }

  // The top bar's count of new requests follows the list's.
  const badge = (count) => {
    const link = document.querySelector('.nav a[href="/console/inbox"]');
    if (!link) {
      return;
    }
    let span = link.querySelector("[data-nav-badge]");
    if (count > 0 && !span) {
      span = document.createElement("span");
      span.className = "nav-badge";
      span.dataset.navBadge = "";
      link.append(" ", span);
    }
    if (span) {
      span.textContent = String(count);
      span.hidden = count === 0;
    }
  };

  // part fetches one live part of the page again; only the newest answer for it is shown, and a
  // burst of changes makes one fetch.
  const part = (el, after) => {
    let latest = 0;
    let timer = 0;
    const load = async () => {
      const ask = ++latest;
      el.setAttribute("aria-busy", "true");
      try {
        const resp = await fetch(el.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (!resp.ok || ask !== latest) {
          return;
        }
        const html = await resp.text();
        if (ask !== latest) {
          return;
        }
        const before = after ? after.before() : null;
        el.innerHTML = html;
        if (after) {
          after.done(before);
        }
      } catch {
        // Offline for a moment: the next change tries again.
      } finally {
        if (ask === latest) {
          el.removeAttribute("aria-busy");
        }
      }
    };
    return () => {
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    };
  };

  const events = new EventSource(root.dataset.stream);
  // A form on its way (booking, a reply) leads to its own page: nothing live may navigate away first.
  let leaving = false;
  document.addEventListener("submit", (event) => {
    // After every other listener has had its say (a declined confirmation cancels the submit).
    setTimeout(() => {
      if (!event.defaultPrevented) {
        leaving = true;
        events.close();
      }
    }, 0);
  });

  if (list) {
    const refresh = part(list, {
      before: () => null,
      done: () => {
        const filters = list.querySelector("[data-new]");
        if (filters) {
          badge(Number(filters.dataset.new));
        }
      },
    });
    events.addEventListener("request", refresh);
    events.addEventListener("conversation", refresh);
    events.addEventListener("reload", refresh);
    // Once the stream is open every change reaches it; what changed between the page being drawn and
    // then (or while a dropped stream reconnected) is caught by fetching the list once more.
    events.addEventListener("open", refresh);
    return;
  }

  const summary = document.getElementById("ir-summary");
  const thread = document.getElementById("ir-thread");
  // When another desk books, rejects or reopens the request, the page is fetched again (by its address,
  // never resending a form) unless a reply is being written.
  const status = () => (summary.querySelector("[data-status]") || {}).dataset?.status;
  const refreshSummary = part(summary, {
    before: status,
    done: (was) => {
      const reply = document.getElementById("reply-text");
      if (!leaving && was !== status() && (!reply || reply.value.trim() === "")) {
        window.location.assign(window.location.pathname);
      }
    },
  });
  // A thread scrolled to its end stays at its end as messages arrive.
  const atEnd = () => thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
  const toEnd = () => { thread.scrollTop = thread.scrollHeight; };
  const refreshThread = thread ? part(thread, { before: atEnd, done: (was) => { if (was) { toEnd(); } } }) : () => {};
  if (thread) {
    toEnd();
  }
  events.addEventListener("request", (event) => {
    if (event.data === request.dataset.request) {
      refreshSummary();
    }
  });
  events.addEventListener("conversation", (event) => {
    if (event.data === request.dataset.conversation) {
      refreshThread();
    }
  });
  const refreshAll = () => {
    refreshSummary();
    refreshThread();
  };
  events.addEventListener("reload", refreshAll);
  // Once the stream is open every change reaches it; what changed between the page being drawn and
  // then (or while a dropped stream reconnected) is caught by fetching its parts once more.
  events.addEventListener("open", refreshAll);
})();
