// The parts of Apache ECharts the pages use, bundled into static/vendor/echarts.min.js
// by `make vendor` (esbuild): bar charts (static/js/charts.js: home, city), bar and
// line charts (static/js/compare.js), the grid, tooltip and (scrolling) legend, and
// both renderers (charts.js asks for SVG, compare.js for the default canvas).
// The full dist/echarts.min.js is 1.1 MB; this is about a third of it.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export * from "echarts/core";
