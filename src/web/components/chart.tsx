import { useEffect, useRef } from 'preact/hooks';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
  type ChartType,
} from 'chart.js';
import { intlLocale } from '../lib/format.js';

// Only the pieces the pages use, so each bundle stays small.
Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export const PALETTE = [
  '#2f6feb',
  '#13834a',
  '#e8a317',
  '#c62d2d',
  '#7c4dff',
  '#00a3bf',
  '#f06292',
  '#8d6e63',
  '#607d8b',
  '#9ccc65',
];

function themeColors() {
  const css = getComputedStyle(document.documentElement);
  return {
    text: css.getPropertyValue('--muted').trim() || '#5f6b7a',
    grid: css.getPropertyValue('--border').trim() || '#dde2e8',
  };
}

/** What every chart shares; its ticks and tooltips speak the page's language, not the browser's. */
const baseOptions = () => ({
  responsive: true,
  maintainAspectRatio: false,
  animation: false as const,
  locale: intlLocale(),
});

export function ChartView<T extends ChartType>(props: {
  type: T;
  data: ChartData<T>;
  options?: ChartOptions<T>;
  height?: number;
  label?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<T>>(undefined);

  useEffect(() => {
    if (!canvas.current) return;
    const colors = themeColors();
    Chart.defaults.color = colors.text;
    Chart.defaults.borderColor = colors.grid;
    chart.current = new Chart(canvas.current, {
      type: props.type,
      data: props.data,
      options: {
        ...baseOptions(),
        ...props.options,
      } as ChartOptions<T>,
    });
    return () => chart.current?.destroy();
  }, [props.type]);

  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = props.data;
    if (props.options)
      chart.current.options = {
        ...baseOptions(),
        ...props.options,
      };
    chart.current.update();
  }, [props.data, props.options]);

  return (
    <div class="chart-box" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
