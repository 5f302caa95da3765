// Bundled by bench/metrics.ts (vite, production) and run in Chromium: renders the dashboard view and
// reports how long until every chart has drawn.
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { MetricsDashboard, MetricsFilter } from '../app/contract/index.ts';
import { DashboardView } from '../renderer/src/metrics/dashboard-view.tsx';

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function renderDashboard(
  data: MetricsDashboard,
  filter: MetricsFilter,
): Promise<{ ms: number; charts: number; shapes: number; html: number }> {
  const el = document.getElementById('root')!;
  const t0 = performance.now();
  const root = createRoot(el);
  flushSync(() => root.render(createElement(DashboardView, { data, filter, animate: false })));
  // recharts plots after its layout pass: wait for the 3 line charts' curves and the 2 bar charts' bars
  for (let spins = 0; spins < 10_000; spins++) {
    const curves = el.querySelectorAll('.recharts-line-curve').length;
    const barCharts = new Set([...el.querySelectorAll('.recharts-bar-rectangle')].map((b) => b.closest('figure'))).size;
    if (curves >= 3 && barCharts >= 2) break;
    await yieldToBrowser();
  }
  el.getBoundingClientRect(); // force layout, as the first paint would
  const ms = performance.now() - t0;
  const result = {
    ms,
    charts: el.querySelectorAll('.recharts-wrapper').length,
    shapes: el.querySelectorAll('.recharts-line-curve, .recharts-bar-rectangle').length,
    html: el.innerHTML.length,
  };
  root.unmount();
  return result;
}

(window as unknown as { renderDashboard: typeof renderDashboard }).renderDashboard = renderDashboard;
