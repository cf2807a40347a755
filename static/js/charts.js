// Bar charts from the numbers the page already shows as a table (archive/browse/charts.py).
// Each <div data-chart="ID"> reads the JSON of <script id="ID" type="application/json">.
// Without this script, or without ECharts, the page keeps its tables.
(function () {
  "use strict";
  var root = document.documentElement;
  // No ECharts: give the reserved boxes back to the tables (archive.css, ".js .chart").
  if (typeof echarts === "undefined") { root.classList.remove("js"); return; }
  var palette = ["#9a2a1f", "#2f6f8f", "#c9892b", "#5b7f3a", "#7a5195", "#8c8c8c"];
  var font = window.getComputedStyle(document.body).fontFamily;

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.categories.length) return;
    // Many places: horizontal bars, so long names (内蒙古自治区) stay readable.
    var horizontal = data.categories.length > 6 && !data.stack;
    // The box's size is reserved by the CSS (size-s…xl, archive/browse/charts.py).
    var categoryAxis = {
      type: "category",
      data: data.categories,
      inverse: horizontal,
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, hideOverlap: !horizontal }
    };
    var valueAxis = { type: "value", minInterval: 1, name: data.unit };
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      textStyle: { fontFamily: font },
      grid: { left: 12, right: 24, top: data.series.length > 1 ? 40 : 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: data.series.length > 1 ? { top: 0, type: "scroll" } : { show: false },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          data: s.data,
          stack: data.stack ? "total" : undefined,
          barMaxWidth: 36,
          label: { show: !data.stack, position: horizontal ? "right" : "top" },
          cursor: data.links ? "pointer" : "default"
        };
      })
    });
    if (data.links) {
      chart.on("click", function (params) {
        var url = data.links[params.dataIndex];
        if (url) window.location.href = url;
      });
    }
    // The table stays one click away for exact numbers.
    var numbers = el.parentNode.querySelector(".chart-numbers");
    if (numbers) numbers.open = false;
    el.parentNode.classList.add("drawn");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (el) {
    try { draw(el); } catch (e) { el.parentNode.classList.add("drawn", "failed"); throw e; }
  });
})();
