// Live totals for the participant report grid. The server computes the same totals on every save; this only
// shows them while typing. No inline script (Content-Security-Policy), no dependencies.
(function () {
  "use strict";
  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) || value < 0 ? 0 : value;
  }
  function setText(selector, value, root) {
    var node = root.querySelector(selector);
    if (node) node.textContent = String(value);
  }
  function recompute(form) {
    var inputs = form.querySelectorAll("input.grid-cell");
    var rows = {};
    var sections = {};
    var base = {};
    inputs.forEach(function (input) {
      var row = input.dataset.row;
      var gender = input.dataset.gender;
      var value = number(input);
      rows[row] = (rows[row] || 0) + value;
      if (input.dataset.sectionKey) {
        var key = input.dataset.sectionKey;
        sections[key] = sections[key] || { total: 0 };
        sections[key][gender] = (sections[key][gender] || 0) + value;
        sections[key].total += value;
      } else {
        base[row] = base[row] || {};
        base[row][gender] = value;
      }
    });
    Object.keys(rows).forEach(function (row) {
      setText('[data-row-total="' + row + '"]', rows[row], form);
    });
    Object.keys(sections).forEach(function (key) {
      Object.keys(sections[key]).forEach(function (gender) {
        setText('[data-section-total="' + key + '"][data-gender="' + gender + '"]', sections[key][gender], form);
      });
    });
    if (base.carried_over) {
      var activeTotal = 0;
      var remainingTotal = 0;
      ["woman", "man", "other"].forEach(function (gender) {
        var active = (base.carried_over[gender] || 0) + ((base.enrolled || {})[gender] || 0);
        var remaining = active - ((base.exited || {})[gender] || 0);
        activeTotal += active;
        remainingTotal += remaining;
        setText('[data-computed="active"][data-gender="' + gender + '"]', active, form);
        setText('[data-computed="remaining"][data-gender="' + gender + '"]', remaining, form);
      });
      setText('[data-computed="active"][data-gender="total"]', activeTotal, form);
      setText('[data-computed="remaining"][data-gender="total"]', remainingTotal, form);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-report-grid]");
    if (!form) return;
    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("grid-cell")) recompute(form);
    });
  });
})();
