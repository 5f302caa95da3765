import { dashboardCsv, type MetricsFilter, type MetricsService } from '../../metrics/index.ts';
import { ScribeError } from '../../contract/index.ts';
import type { CallContext, PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type MetricsCalls = 'metrics.dashboard' | 'metrics.exportCsv' | 'metrics.settings.get' | 'metrics.settings.set' | 'metrics.editorActivity';

function metricsOf(s: CoreServices): MetricsService {
  if (!s.metrics) throw new ScribeError('unavailable', 'Practice metrics are not set up in this core');
  return s.metrics;
}

/**
 * The practice manager sees every clinician; a clinician sees only their own figures (asking for someone
 * else's is refused, not silently narrowed). Nothing here carries a patient id, name or note text: the
 * figures come from de-identified counts and durations.
 */
function scopedFilter(filter: MetricsFilter, ctx: CallContext): MetricsFilter {
  const user = ctx.user!;
  if (user.role === 'manager') return filter;
  if (filter.clinicianId && filter.clinicianId !== user.id) {
    throw new ScribeError('forbidden', "A clinician sees only their own figures; the practice manager sees everyone's");
  }
  return { ...filter, clinicianId: user.id };
}

async function dashboardFor(s: CoreServices, filter: MetricsFilter, ctx: CallContext) {
  const scoped = scopedFilter(filter, ctx);
  const dash = await metricsOf(s).practice.dashboard(scoped);
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
    'metrics.settings.get': () => metricsOf(s).recorder.settings(),
    'metrics.settings.set': (patch) => metricsOf(s).recorder.updateSettings(patch),
    'metrics.editorActivity': async ({ visitId, activeMs }) => {
      const v = await metricsOf(s).recorder.recordEditorActivity({ visitId, activeMs });
      return { activeEditSeconds: v.activeEditSeconds };
    },
  };
}
