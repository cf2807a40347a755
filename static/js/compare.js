// Term-usage chart on /compare/: occurrences per 10,000 characters by city,
// and by year per city. The table above it carries the same numbers without JS.
(function () {
  "use strict";
  var el = document.getElementById("term-chart");
  var source = document.getElementById("term-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  el.removeAttribute("aria-hidden");
  var years = {};
  data.terms.forEach(function (term) {
    var perCity = data.by_year[term] || {};
    Object.keys(perCity).forEach(function (city) {
      Object.keys(perCity[city]).forEach(function (y) { years[y] = true; });
    });
  });
  // Every year from the first to the last, so the axis is a real time axis:
  // a gap of five years takes five steps, not one (issue 17).
  var known = Object.keys(years).map(Number).sort(function (a, b) { return a - b; });
  var yearList = [];
  for (var y = known[0]; known.length && y <= known[known.length - 1]; y++) yearList.push(String(y));
  var series = data.cities.map(function (city) {
    return {
      name: (data.labels || {})[city] || city,
      type: "bar",
      data: data.terms.map(function (term) { return (data.by_city[term] || {})[city] || 0; })
    };
  });
  var lines = [];
  data.terms.forEach(function (term) {
    data.cities.forEach(function (city) {
      var perYear = ((data.by_year[term] || {})[city]) || {};
      lines.push({
        name: ((data.labels || {})[city] || city) + " · " + term,
        type: "line",
        xAxisIndex: 1,
        yAxisIndex: 1,
        connectNulls: true,
        data: yearList.map(function (y) { return y in perYear ? perYear[y] : null; })
      });
    });
  });
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: [{ top: 40, height: "35%" }, { top: "62%", height: "30%" }],
    xAxis: [{ type: "category", data: data.terms }, { type: "category", data: yearList, gridIndex: 1 }],
    yAxis: [{ type: "value", name: "/万字" }, { type: "value", gridIndex: 1 }],
    series: series.concat(lines)
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
