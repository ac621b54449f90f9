// The booking form works without this script; with it, the form offers only the places and doctors
// that go with the chosen visit, lists a day's free times as soon as what, where and the day are
// known (without reloading), and sends once however often the button is pressed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-slots]");
  if (!form) return;
  var exam = form.querySelector("select[name=examination_id]");
  var branch = form.querySelector("select[name=branch_id]");
  var doctor = form.querySelector("select[name=doctor_id]");
  var picker = form.querySelector(".slot-picker");
  var day = form.querySelector("input[name=date]");
  var list = form.querySelector("[data-slots-list]");
  var lang = form.querySelector("input[name=lang]").value;

  // Offer only the branches and doctors of the chosen examination.
  function filter() {
    var opt = exam && exam.selectedOptions[0];
    var allowed = opt && opt.dataset.list ? opt.dataset.list.split(" ") : null;
    [[branch, "b"], [doctor, "d"]].forEach(function (pair) {
      var sel = pair[0];
      if (!sel) return;
      Array.prototype.forEach.call(sel.options, function (o) {
        if (!o.value) return;
        var ok = !allowed || allowed.indexOf(pair[1] + o.value) >= 0;
        o.hidden = !ok;
        o.disabled = !ok;
        if (!ok && o.selected) sel.value = "";
      });
    });
    if (branch && !branch.value) {
      var open = Array.prototype.filter.call(branch.options, function (o) { return o.value && !o.disabled; });
      if (open.length === 1) branch.value = open[0].value;
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function radio(value, label, checked) {
    var l = el("label", "slot" + (value ? "" : " slot-none"));
    var i = el("input");
    i.type = "radio"; i.name = "preferred_start"; i.value = value; i.checked = checked;
    l.appendChild(i);
    l.appendChild(document.createTextNode(" "));
    l.appendChild(el("span", "", label));
    return l;
  }

  var asked = 0;
  function listSlots() {
    if (!picker) return;
    if (!exam || !branch || !exam.value || !branch.value || !day.value) {
      list.replaceChildren(el("p", "muted", picker.dataset.pickFirst));
      return;
    }
    var q = new URLSearchParams({ examination_id: exam.value, branch_id: branch.value, date: day.value, lang: lang });
    if (doctor && doctor.value) q.set("doctor_id", doctor.value);
    var mine = ++asked;
    var kept = (form.querySelector("input[name=preferred_start]:checked") || {}).value || "";
    fetch(form.dataset.slots + "?" + q.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (mine !== asked) return;
        if (!data.slots.length) {
          list.replaceChildren(el("p", "muted", picker.dataset.noTimes));
          return;
        }
        var grid = el("div", "slot-grid");
        var required = picker.querySelector("legend .opt") === null;
        if (!required) grid.appendChild(radio("", picker.dataset.noTime, !kept));
        data.slots.forEach(function (s) { grid.appendChild(radio(s.start, s.label, s.start === kept)); });
        list.replaceChildren(el("p", "slots-heading", data.heading), grid);
      })
      .catch(function () { if (mine === asked) list.replaceChildren(el("p", "muted", picker.dataset.noTimes)); });
  }

  if (exam) exam.addEventListener("change", function () { filter(); listSlots(); });
  [branch, doctor, day].forEach(function (s) { if (s) s.addEventListener("change", listSlots); });
  var show = form.querySelector("[data-show-times]");
  if (show) show.hidden = true;
  filter();
  if (picker && day && day.value && !list.querySelector(".slot-grid")) listSlots();

  // One request however often the button is pressed; the form token also makes the server record one.
  var sending = false;
  form.addEventListener("submit", function (e) {
    var btn = e.submitter;
    if (btn && btn.value === "slots") return;
    if (sending) { e.preventDefault(); return; }
    sending = true;
    var send = form.querySelector("button[value=send]");
    send.textContent = form.dataset.sending;
    setTimeout(function () { send.disabled = true; }, 0);
  });
})();
