/** ECharts with only what the 驾驶舱 draws (bars on a grid, tooltip, legend): its chunk stays small. */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export const createChart = (el: HTMLElement) => init(el, undefined, { locale: 'ZH' });
