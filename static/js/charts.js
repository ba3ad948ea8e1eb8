/* Draw every chart of the page: each <div data-chart="ID"> takes its figure from the JSON of
   <script id="ID" type="application/json"> (Django's json_script), built on the server by
   reports/charts.py. Loaded with `defer` after plotly.js, so both run in order once the page
   is parsed; nothing here computes a figure. */
(function () {
  "use strict";

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-chart"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(div, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
})();
