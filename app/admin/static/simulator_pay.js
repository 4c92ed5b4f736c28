// The WeChat simulator's pay side: what the sandbox's WeChat Pay holds next to our own rows,
// with WeChat's actions (pay, finish a refund or a transfer), each of which notifies our real
// notify endpoints; the row then shows our status and what the endpoint answered.
(function () {
  "use strict";

  var configNode = document.getElementById("simulator-pay-config");
  if (!configNode) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var text = config.text;
  var lib = window.FenxiaoConsole;
  var fmt = lib.fmt, el = lib.el, api = lib.api;
  var NOTIFY_STORE = "fenxiao.simulator.notifications";
  var FINAL = { payments: { SUCCESS: "paid", REFUND: "paid" }, refunds: { SUCCESS: "succeeded" },
                transfers: { SUCCESS: "succeeded", FAIL: "failed" } };

  function $(id) { return document.getElementById(id); }



  function yuan(fen) {
    return "¥" + Math.floor(fen / 100) + "." + String(fen % 100).padStart(2, "0");
  }


  function notifications() {
    try { return JSON.parse(window.sessionStorage.getItem(NOTIFY_STORE) || "{}"); } catch (error) { return {}; }
  }

  function remember(number, notification) {
    var all = notifications();
    all[number] = notification;
    try { window.sessionStorage.setItem(NOTIFY_STORE, JSON.stringify(all)); } catch (error) { /* ignore */ }
  }

  function say(kind, message) {
    var box = $("sim-pay-message");
    box.className = "alert alert-" + kind;
    box.textContent = message;
  }

  function errorText(answer) {
    var error = (answer.data && answer.data.error) || {};
    var fields = error.fields || {};
    var details = Object.keys(fields).map(function (name) { return fields[name]; }).join(" ");
    return (error.message || ("HTTP " + answer.status)) + (details ? " " + details : "");
  }

  // -- rendering ----------------------------------------------------------------------------
  var BADGES = { paid: "success", succeeded: "success", SUCCESS: "success", unpaid: "warning", pending: "warning",
                 processing: "warning", wait_user_confirm: "warning", NOTPAY: "warning", PROCESSING: "warning",
                 WAIT_USER_CONFIRM: "warning", REFUND: "info", closed: "secondary", cancelled: "secondary",
                 CLOSED: "secondary", CANCELLED: "secondary", failed: "danger", abnormal: "danger", FAIL: "danger",
                 ABNORMAL: "danger" };

  function badge(code, label) {
    return el("span", "badge text-bg-" + (BADGES[code] || "light"), label);
  }

  function cell(row, className) {
    var td = el("td", className);
    row.appendChild(td);
    return td;
  }

  function notificationCell(td, number) {
    var notification = notifications()[number];
    if (!notification) {
      td.appendChild(el("span", "text-muted", "—"));
    } else if (!notification.sent) {
      td.appendChild(el("span", "badge text-bg-secondary", notification.no_url ? text.no_url : text.not_sent));
    } else if (!notification.delivered) {
      td.appendChild(el("span", "badge text-bg-danger", fmt(text.undelivered, { error: notification.error })));
    } else {
      td.appendChild(el("span", "badge text-bg-" + (notification.ok ? "success" : "danger"),
                        fmt(text.answered, { status: notification.status })));
      if (notification.body) { td.appendChild(el("div", "small text-danger text-break", notification.body)); }
    }
  }

  function actionButton(td, label, style, handler) {
    var button = el("button", "btn btn-sm btn-" + style + " ms-1", label);
    button.type = "button";
    button.addEventListener("click", function () { handler(button); });
    td.appendChild(button);
  }

  function whatFor(td, record, description) {
    var ours = record.ours;
    if (ours && ours.is_test) {
      td.appendChild(el("span", "badge text-bg-warning me-1", text.test));
    } else if (ours) {
      td.appendChild(el("span", "badge text-bg-light me-1", ours.purpose_label));
    } else {
      td.appendChild(el("span", "badge text-bg-light me-1", text.unknown));
    }
    td.appendChild(document.createTextNode(description || ""));
    if (ours && ours.user) { td.appendChild(el("div", "small text-muted", ours.user)); }
  }

  function renderRows(kind, records) {
    var body = document.querySelector('[data-rows="' + kind + '"]');
    document.querySelector('[data-count="' + kind + '"]').textContent = records.length;
    body.textContent = "";
    if (!records.length) {
      var empty = el("tr");
      var td = el("td", "text-center text-muted py-3", text["empty_" + kind]);
      td.colSpan = 7;
      empty.appendChild(td);
      body.appendChild(empty);
      return;
    }
    records.forEach(function (record) {
      var row = el("tr");
      row.setAttribute("data-number", record.number);
      var numberCell = cell(row, "sim-number");
      numberCell.appendChild(document.createTextNode(record.number));
      numberCell.appendChild(el("div", "small text-muted", (record.created || "").replace("T", " ").replace(/\+08:00$/, "")));
      if (kind === "payments") {
        whatFor(cell(row), record, record.description);
      } else if (kind === "refunds") {
        whatFor(cell(row), record, record.reason);
        row.lastChild.appendChild(el("div", "small text-muted sim-number", record.payment));
      } else {
        whatFor(cell(row), record, record.remark);
      }
      cell(row, "text-end sim-amount").textContent = yuan(record.amount_fen);
      var wechat = cell(row);
      wechat.appendChild(badge(record.wechat.state, record.wechat.label));
      if (record.fail_reason) { wechat.appendChild(el("div", "small text-muted", record.fail_reason)); }
      var ours = cell(row);
      if (record.ours) {
        ours.appendChild(badge(record.ours.status, record.ours.status_label));
      } else {
        ours.appendChild(el("span", "text-muted", "—"));
      }
      notificationCell(cell(row), record.number);
      actions(kind, record, cell(row, "text-end sim-actions"));
      body.appendChild(row);
    });
  }

  function actions(kind, record, td) {
    var state = record.wechat.state;
    var ourStatus = record.ours ? record.ours.status : null;
    var behind = record.ours && FINAL[kind][state] && FINAL[kind][state] !== ourStatus;
    if (kind === "payments") {
      if (state === "NOTPAY") {
        actionButton(td, text.mark_paid, "success", function (b) { finish(config.urls.pay, "out_trade_no", record.number, "done_pay", b); });
      }
      if (behind) {
        actionButton(td, text.query, "outline-primary", function (b) { query({ out_trade_no: record.number }, b); });
        actionButton(td, text.resend, "outline-secondary", function (b) { finish(config.urls.pay, "out_trade_no", record.number, "done_pay", b); });
      }
      if (ourStatus === "paid" && record.ours.is_test && record.ours.refundable_fen > 0) {
        actionButton(td, text.refund, "outline-danger", function (b) { testRefund(record.number, b); });
      }
    } else if (kind === "refunds") {
      if (state === "PROCESSING") {
        actionButton(td, text.complete_refund, "success", function (b) { finish(config.urls.refund, "out_refund_no", record.number, "done_refund", b); });
      }
      if (behind) {
        actionButton(td, text.resend, "outline-secondary", function (b) { finish(config.urls.refund, "out_refund_no", record.number, "done_refund", b); });
      }
    } else {
      if (!FINAL.transfers[state] && state !== "CANCELLED") {
        actionButton(td, text.transfer_success, "success", function (b) { finish(config.urls.transfer_success, "out_bill_no", record.number, "done_transfer", b); });
        actionButton(td, text.transfer_fail, "outline-danger", function (b) { finish(config.urls.transfer_fail, "out_bill_no", record.number, "done_transfer", b); });
      }
      if (behind) {
        actionButton(td, text.query, "outline-primary", function (b) { query({ out_bill_no: record.number }, b); });
        var resendUrl = state === "FAIL" ? config.urls.transfer_fail : config.urls.transfer_success;
        actionButton(td, text.resend, "outline-secondary", function (b) { finish(resendUrl, "out_bill_no", record.number, "done_transfer", b); });
      }
    }
  }

  var flashNumber = null;

  function reload() {
    return api("GET", config.urls.list).then(function (answer) {
      if (!answer.ok) { say("danger", errorText(answer)); return; }
      renderRows("payments", answer.data.payments);
      renderRows("refunds", answer.data.refunds);
      renderRows("transfers", answer.data.transfers);
      if (flashNumber) {
        var row = document.querySelector('tr[data-number="' + flashNumber + '"]');
        if (row) { row.classList.add("sim-row-flash"); }
        flashNumber = null;
      }
    }).catch(function () { say("danger", text.network); });
  }

  // -- actions --------------------------------------------------------------------------------
  function run(button, url, body, onSuccess) {
    if (button) { button.disabled = true; }
    return api("POST", url, body).then(function (answer) {
      if (!answer.ok) {
        say("danger", errorText(answer));
        if (button) { button.disabled = false; }
        return null;
      }
      onSuccess(answer.data);
      flashNumber = answer.data.number;
      return reload().then(function () { return answer.data; });
    }).catch(function () {
      say("danger", text.network);
      if (button) { button.disabled = false; }
    });
  }

  function finish(url, field, number, done, button) {
    var body = { notify: !$("sim-lose").checked };
    body[field] = number;
    run(button, url, body, function (data) {
      var notification = data.notification;
      remember(number, notification);
      var ours = data.ours ? fmt(text.ours_now, { status: data.ours.status_label }) : "";
      var lost = !notification.sent && !notification.no_url;
      say(lost || (notification.sent && !notification.ok) ? "warning" : "success",
          fmt(text[done], { number: number }) + " " + (lost ? text.lost_note + " " : "") + ours);
    });
  }

  function query(body, button) {
    var number = body.out_trade_no || body.out_bill_no;
    run(button, config.urls.query, body, function (data) {
      say("info", fmt(text.done_query, { number: number, status: data.ours.status_label }));
    });
  }

  function testRefund(number, button) {
    if (!window.confirm(text.refund_confirm)) { return; }
    run(button, config.urls.test_refund, { out_trade_no: number }, function (data) {
      say("success", fmt(text.done_created, { number: data.number }));
    });
  }

  function wireForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      form.querySelectorAll("input[name]").forEach(function (input) {
        body[input.name] = input.value.trim();
        input.classList.remove("is-invalid");
      });
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      api("POST", form.getAttribute("data-url"), body).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) {
          var fields = (answer.data.error && answer.data.error.fields) || {};
          Object.keys(fields).forEach(function (name) {
            var input = form.querySelector('input[name="' + name + '"]');
            var feedback = form.querySelector('[data-field="' + name + '"]');
            if (input && feedback) { input.classList.add("is-invalid"); feedback.textContent = fields[name]; }
          });
          say("danger", errorText(answer));
          return;
        }
        flashNumber = answer.data.number;
        say("success", fmt(text.done_created, { number: answer.data.number }));
        reload();
      }).catch(function () {
        button.disabled = false;
        say("danger", text.network);
      });
    });
  }

  wireForm($("sim-test-payment"));
  wireForm($("sim-test-transfer"));
  $("sim-reload").addEventListener("click", reload);
  reload();
})();
