/**
 * ECharts for the 首页 map card: points on a plain 经度/纬度 frame (scatter on value axes), or on an
 * uploaded boundary (geo + scatter). A chunk of its own, fetched after the figures are drawn.
 */
import { MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, registerMap, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([
  ScatterChart,
  MapChart,
  GeoComponent,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  CanvasRenderer,
]);

export const createMapChart = (el: HTMLElement) => init(el, undefined, { locale: 'ZH' });
export { registerMap };
