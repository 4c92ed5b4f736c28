// The WeChat simulator's pay side, the `paySimulator` Alpine component: what the sandbox's WeChat
// Pay holds next to our own rows, with WeChat's actions (pay, finish a refund or a transfer), each
// of which notifies our real notify endpoints; the row then shows our status and what the
// endpoint answered.
(function () {
  "use strict";

  var lib = window.FenxiaoConsole;
  var fmt = lib.fmt, api = lib.api;
  var NOTIFY_STORE = "fenxiao.simulator.notifications";
  var KINDS = ["payments", "refunds", "transfers"];
  var FINAL = { payments: { SUCCESS: "paid", REFUND: "paid" }, refunds: { SUCCESS: "succeeded" },
                transfers: { SUCCESS: "succeeded", FAIL: "failed" } };
  var NUMBER_FIELD = { payments: "out_trade_no", refunds: "out_refund_no", transfers: "out_bill_no" };
  var DONE = { payments: "done_pay", refunds: "done_refund", transfers: "done_transfer" };
  var DESCRIBED_BY = { payments: "description", refunds: "reason", transfers: "remark" };
  var BADGES = { paid: "success", succeeded: "success", SUCCESS: "success", unpaid: "warning", pending: "warning",
                 processing: "warning", wait_user_confirm: "warning", NOTPAY: "warning", PROCESSING: "warning",
                 WAIT_USER_CONFIRM: "warning", REFUND: "info", closed: "secondary", cancelled: "secondary",
                 CLOSED: "secondary", CANCELLED: "secondary", failed: "danger", abnormal: "danger", FAIL: "danger",
                 ABNORMAL: "danger" };

  function yuan(fen) {
    return "¥" + Math.floor(fen / 100) + "." + String(fen % 100).padStart(2, "0");
  }

  function stored() {
    try { return JSON.parse(window.sessionStorage.getItem(NOTIFY_STORE) || "{}"); } catch (error) { return {}; }
  }

  function errorText(answer) {
    var error = (answer.data && answer.data.error) || {};
    var fields = error.fields || {};
    var details = Object.keys(fields).map(function (name) { return fields[name]; }).join(" ");
    return (error.message || ("HTTP " + answer.status)) + (details ? " " + details : "");
  }

  function paySimulator() {
    var config = JSON.parse(document.getElementById("simulator-pay-config").textContent);
    var text = config.text;
    return {
      text: text,
      records: { payments: null, refunds: null, transfers: null },  // null until loaded
      notifications: stored(),
      message: null,  // {kind, text}
      lose: false,
      forms: {
        payment: { fields: { amount: "9.90", name: "xiaohua" }, errors: {}, busy: false },
        transfer: { fields: { amount: "5.00", name: "xiaohua" }, errors: {}, busy: false }
      },
      running: "",  // the row action under way, "number:action"
      flash: null,

      init: function () { this.reload(); },

      yuan: yuan,
      badge: function (code) { return "badge text-bg-" + (BADGES[code] || "light"); },
      count: function (kind) { return (this.records[kind] || []).length; },
      created: function (record) { return (record.created || "").replace("T", " ").replace(/\+08:00$/, ""); },
      described: function (kind, record) { return record[DESCRIBED_BY[kind]] || ""; },
      purpose: function (record) {
        if (record.ours && record.ours.is_test) { return text.test; }
        return record.ours ? record.ours.purpose_label : text.unknown;
      },
      purposeClass: function (record) { return "badge me-1 " + (record.ours && record.ours.is_test ? "text-bg-warning" : "text-bg-light"); },
      notification: function (record) { return this.notifications[record.number] || null; },
      notificationLabel: function (record) {
        var sent = this.notification(record);
        if (!sent.sent) { return sent.no_url ? text.no_url : text.not_sent; }
        if (!sent.delivered) { return fmt(text.undelivered, { error: sent.error }); }
        return fmt(text.answered, { status: sent.status });
      },
      notificationClass: function (record) {
        var sent = this.notification(record);
        if (!sent.sent) { return "badge text-bg-secondary"; }
        return "badge text-bg-" + (sent.delivered && sent.ok ? "success" : "danger");
      },
      busyWith: function (record, action) { return this.running === record.number + ":" + action.name; },

      // The buttons of a row: what WeChat Pay can still do with the record, and a query or a
      // resend when our status is behind WeChat's.
      actionsOf: function (kind, record) {
        var state = record.wechat.state;
        var ourStatus = record.ours ? record.ours.status : null;
        var behind = record.ours && FINAL[kind][state] && FINAL[kind][state] !== ourStatus;
        var list = [];
        function action(name, style, url) { list.push({ name: name, label: text[name], style: "btn btn-sm ms-1 btn-" + style, url: url }); }
        if (kind === "payments") {
          if (state === "NOTPAY") { action("mark_paid", "success", config.urls.pay); }
          if (behind) { action("query", "outline-primary"); action("resend", "outline-secondary", config.urls.pay); }
          if (ourStatus === "paid" && record.ours.is_test && record.ours.refundable_fen > 0) { action("refund", "outline-danger"); }
        } else if (kind === "refunds") {
          if (state === "PROCESSING") { action("complete_refund", "success", config.urls.refund); }
          if (behind) { action("resend", "outline-secondary", config.urls.refund); }
        } else {
          if (!FINAL.transfers[state] && state !== "CANCELLED") {
            action("transfer_success", "success", config.urls.transfer_success);
            action("transfer_fail", "outline-danger", config.urls.transfer_fail);
          }
          if (behind) {
            action("query", "outline-primary");
            action("resend", "outline-secondary", state === "FAIL" ? config.urls.transfer_fail : config.urls.transfer_success);
          }
        }
        return list;
      },

      say: function (kind, message) { this.message = { kind: kind, text: message }; },

      reload: function () {
        var self = this;
        return api("GET", config.urls.list).then(function (answer) {
          if (!answer.ok) { self.say("danger", errorText(answer)); return; }
          KINDS.forEach(function (kind) { self.records[kind] = answer.data[kind]; });
        }).catch(function () { self.say("danger", text.network); });
      },

      perform: function (kind, record, action) {
        var number = record.number;
        var body = {};
        if (action.name === "query") {
          body[NUMBER_FIELD[kind]] = number;
          this.run(record, action, config.urls.query, body, function (data) {
            this.say("info", fmt(text.done_query, { number: number, status: data.ours.status_label }));
          });
        } else if (action.name === "refund") {
          if (!window.confirm(text.refund_confirm)) { return; }
          this.run(record, action, config.urls.test_refund, { out_trade_no: number }, function (data) {
            this.say("success", fmt(text.done_created, { number: data.number }));
          });
        } else {
          body = { notify: !this.lose };
          body[NUMBER_FIELD[kind]] = number;
          this.run(record, action, action.url, body, function (data) { this.finished(kind, number, data); });
        }
      },

      finished: function (kind, number, data) {
        var notification = data.notification;
        this.notifications[number] = notification;
        try { window.sessionStorage.setItem(NOTIFY_STORE, JSON.stringify(this.notifications)); } catch (error) { /* ignore */ }
        var ours = data.ours ? fmt(text.ours_now, { status: data.ours.status_label }) : "";
        var lost = !notification.sent && !notification.no_url;
        this.say(lost || (notification.sent && !notification.ok) ? "warning" : "success",
                 fmt(text[DONE[kind]], { number: number }) + " " + (lost ? text.lost_note + " " : "") + ours);
      },

      run: function (record, action, url, body, onSuccess) {
        var self = this;
        self.running = record.number + ":" + action.name;
        api("POST", url, body).then(function (answer) {
          if (!answer.ok) {
            self.say("danger", errorText(answer));
            return null;
          }
          onSuccess.call(self, answer.data);
          self.flash = answer.data.number;
          return self.reload();
        }).catch(function () {
          self.say("danger", text.network);
        }).then(function () { self.running = ""; });
      },

      // The test payment and test transfer forms: field errors stand under their inputs.
      create: function (name, event) {
        var form = this.forms[name];
        var body = {};
        Object.keys(form.fields).forEach(function (field) { body[field] = form.fields[field].trim(); });
        form.errors = {};
        form.busy = true;
        var self = this;
        api("POST", event.target.getAttribute("data-url"), body).then(function (answer) {
          form.busy = false;
          if (!answer.ok) {
            form.errors = (answer.data.error && answer.data.error.fields) || {};
            self.say("danger", errorText(answer));
            return;
          }
          self.flash = answer.data.number;
          self.say("success", fmt(text.done_created, { number: answer.data.number }));
          self.reload();
        }).catch(function () {
          form.busy = false;
          self.say("danger", text.network);
        });
      }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("paySimulator", paySimulator);
  });
})();
