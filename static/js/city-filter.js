// Live filtering of /cities/: the same rule as archive/browse/names.py, on the
// data-names (Simplified and Traditional names) and data-pinyin attributes.
// Without this script the ?q= form does the same on the server.
(function () {
  "use strict";
  var input = document.getElementById("city-q");
  var status = document.getElementById("city-filter-status");
  var groups = document.querySelectorAll(".province-group");
  if (!input || !status || !groups.length) return;
  var HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var total = groups[0].parentNode.getAttribute("data-total");

  function normalize(raw) {
    return raw.normalize("NFKC").toLowerCase().replace(/[\s'’\-·.]+/g, "").slice(0, 40);
  }

  function keys(el, name) {
    return (el.getAttribute(name) || "").split(" ").filter(Boolean);
  }

  function matches(query, el) {
    if (!query) return true;
    if (HAN.test(query)) {
      return keys(el, "data-names").some(function (n) { return n.indexOf(query) !== -1; });
    }
    return keys(el, "data-pinyin").some(function (p) { return p.indexOf(query) === 0; });
  }

  function apply() {
    var query = normalize(input.value);
    var shown = 0;
    Array.prototype.forEach.call(groups, function (group) {
      var whole = matches(query, group);
      var any = false;
      Array.prototype.forEach.call(group.querySelectorAll(".city-card"), function (card) {
        var show = whole || matches(query, card);
        card.hidden = !show;
        if (show) { any = true; shown += 1; }
      });
      group.hidden = !any;
    });
    status.textContent = !query ? "" : shown
      ? status.getAttribute("data-template-some").replace("{shown}", shown).replace("{total}", total)
      : status.getAttribute("data-template-none");
    var url = input.value.trim() ? "?q=" + encodeURIComponent(input.value.trim()) : window.location.pathname;
    window.history.replaceState(null, "", url);
  }

  input.addEventListener("input", apply);
})();
