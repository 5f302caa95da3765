import { dashboardCsv, type MetricsFilter } from '../../metrics/index.ts';
import type { CallContext, PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type MetricsCalls = 'metrics.dashboard' | 'metrics.exportCsv' | 'metrics.settings.get' | 'metrics.settings.set' | 'metrics.editorActivity';

/**
 * The practice manager sees every clinician; a clinician only their own figures: the contract's
 * `ownMetrics` rule (app/core/access.ts) has already refused someone else's and narrowed the filter.
 * Nothing here carries a patient id, name or note text: the figures come from de-identified counts and durations.
 */
async function dashboardFor(s: CoreServices, filter: MetricsFilter, ctx: CallContext) {
  const dash = await s.metrics.practice.dashboard(filter);
  if (ctx.user!.role !== 'manager') dash.options = { ...dash.options, clinicians: [ctx.user!.id] };
  return dash;
}

export function metricsHandlers(s: CoreServices): PartialHandlers<MetricsCalls> {
  return {
    'metrics.dashboard': (filter, ctx) => dashboardFor(s, filter, ctx),
    'metrics.exportCsv': async (filter, ctx) => {
      const dash = await dashboardFor(s, filter, ctx);
      const from = filter.from ?? dash.options.firstDay ?? 'start';
      const to = filter.to ?? dash.options.lastDay ?? 'now';
      return { filename: `scribe-metrics-${from}-to-${to}.csv`, csv: dashboardCsv(dash) };
    },
    'metrics.settings.get': () => s.metrics.recorder.settings(),
    'metrics.settings.set': (patch) => s.metrics.recorder.updateSettings(patch),
    'metrics.editorActivity': async ({ visitId, activeMs }) => {
      const v = await s.metrics.recorder.recordEditorActivity({ visitId, activeMs });
      return { activeEditSeconds: v.activeEditSeconds };
    },
  };
}
