// Console behaviour without inline scripts (the CSP allows only our own files).
(function () {
  "use strict";

  // Confirmation before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Dashboard charts: data from <script type="application/json" id="chart-data">, money in fen.
  var dataNode = document.getElementById("chart-data");
  if (dataNode && window.echarts) {
    var data = JSON.parse(dataNode.textContent);
    var series = { sales: data.sales_fen, commission: data.commission_fen };
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var chart = window.echarts.init(node);
      chart.setOption({
        grid: { left: 48, right: 16, top: 16, bottom: 28 },
        tooltip: { trigger: "axis", valueFormatter: function (fen) { return "¥" + (fen / 100).toFixed(2); } },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value", minInterval: 100, axisLabel: { formatter: function (fen) { return "¥" + (fen / 100); } } },
        series: [{ type: "line", smooth: true, areaStyle: {}, data: series[node.getAttribute("data-chart")] }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
})();
