/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID"> (Django's json_script).
   The specs come from metrics/charts.py; each chart has an accessible table beside it. */
(function () {
  "use strict";

  var STEPS = [[1e9, "B"], [1e6, "M"], [1e3, "K"]];

  function compact(value) {
    if (value === null || value === undefined || isNaN(value)) { return "—"; }
    var n = Math.abs(value), sign = value < 0 ? "-" : "";
    for (var i = 0; i < STEPS.length; i++) {
      if (n >= STEPS[i][0] * 0.9995) {
        var scaled = n / STEPS[i][0];
        var digits = scaled < 10 ? 2 : (scaled < 100 ? 1 : 0);
        return sign + parseFloat(scaled.toFixed(digits)).toLocaleString() + " " + STEPS[i][1];
      }
    }
    return sign + (Math.round(n * 10) / 10).toLocaleString();
  }

  function formatter(kind) {
    if (kind === "percent") { return function (v) { return v === null ? "—" : v.toFixed(1) + " %"; }; }
    if (kind === "number") { return function (v) { return v === null ? "—" : (Math.round(v * 10) / 10).toLocaleString(); }; }
    return compact;
  }

  function build(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return null; }
    var spec = JSON.parse(source.textContent).config;
    var fmt = formatter(spec.format);
    var twoAxes = spec.data.datasets.some(function (d) { return d.yAxisID === "y2"; });
    var valueAxis = spec.horizontal ? "x" : "y";
    var fromZero = spec.fromZero !== false;
    var scales = {};
    scales[valueAxis] = { beginAtZero: fromZero, stacked: spec.stacked, ticks: { callback: function (v) { return fmt(v); } } };
    scales[spec.horizontal ? "y" : "x"] = spec.time ? timeAxis(spec.time)
      : { stacked: spec.stacked, ticks: { autoSkip: true, maxRotation: 0 } };
    if (twoAxes) {
      scales.y2 = { beginAtZero: fromZero, position: "right", grid: { drawOnChartArea: false },
                    ticks: { callback: function (v) { return fmt(v); } } };
    }
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: spec.data.datasets.length > 1, position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { title: spec.time ? timeTitle(spec.time) : undefined, label: function (ctx) {
          var raw = spec.horizontal ? ctx.parsed.x : ctx.parsed.y;
          var absolute = spec.absoluteInTooltip && ctx.raw && ctx.raw.absolute ? " (" + ctx.raw.absolute + ")" : "";
          return ctx.dataset.label + ": " + fmt(raw) + absolute;
        } } }
      },
      scales: spec.type === "doughnut" ? {} : scales
    };
    var chart = new Chart(canvas, { type: spec.type, data: spec.data, options: options,
                                    plugins: [breakLines(spec.breaks || [])] });
    canvas.dataset.drawn = "true";
    return chart;
  }

  // Time axes (chartjs-adapter-luxon): readings are placed by their instant, in the user's zone and the
  // page's language; a null point breaks the line (spanGaps off) where days were not read.
  function timeAxis(time) {
    return { type: "time", adapters: { date: { zone: time.zone, locale: locale() } },
             time: { unit: time.daily ? "day" : undefined, minUnit: time.daily ? "day" : "hour" },
             ticks: { autoSkip: true, maxRotation: 0, source: "auto" } };
  }

  function timeTitle(time) {
    return function (items) {
      if (!items.length || typeof luxon === "undefined") { return ""; }
      var at = luxon.DateTime.fromMillis(items[0].parsed.x, { zone: time.zone, locale: locale() });
      return at.toLocaleString(time.daily ? luxon.DateTime.DATE_MED_WITH_WEEKDAY : luxon.DateTime.DATETIME_MED);
    };
  }

  function locale() { return document.documentElement.lang || undefined; }

  // A dashed vertical line where a series changes metric (the metric registry's breaks).
  function breakLines(breaks) {
    return { id: "seriesBreaks", afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!x || !breaks.length) { return; }
      breaks.forEach(function (b) {
        var at = b.at ? x.getPixelForValue(Date.parse(b.at)) : x.getPixelForValue(b.index);
        ctx.save();
        ctx.strokeStyle = "#6c757d"; ctx.setLineDash([4, 4]); ctx.beginPath();
        ctx.moveTo(at, area.top); ctx.lineTo(at, area.bottom); ctx.stroke();
        ctx.fillStyle = "#6c757d"; ctx.font = "11px sans-serif"; ctx.fillText(b.label, at + 4, area.top + 12);
        ctx.restore();
      });
    } };
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn !== "true") { build(canvas); }
    });
  }

  window.SoftpowerCharts = { drawAll: drawAll, compact: compact };
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Fragments loaded by htmx (post and influencer performance) bring their own canvases.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
}());
