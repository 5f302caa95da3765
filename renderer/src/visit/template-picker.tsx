import { useEffect, useState } from 'react';
import type { Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

/** Draft again with another template; sections a person already edited are kept as they are. */
export function TemplatePicker({
  visit,
  onVisit,
  onError,
  onBusy,
}: {
  visit: Visit;
  onVisit: (v: Visit) => void;
  onError: (m: string) => void;
  /** A redraft started (true) or ended (false): a language model's sections show while it runs. */
  onBusy?: (busy: boolean) => void;
}) {
  const [templates, setTemplates] = useState<{ name: string; title: string }[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    callScribe('draft.templates', {}).then(
      (t) => setTemplates(t.templates),
      () => undefined,
    );
  }, []);
  if (!visit.draft || templates.length === 0) return null;
  return (
    <label className="template-picker">
      Template{' '}
      <select
        data-testid="template-select"
        value={visit.draft.template}
        disabled={busy || visit.status !== 'draft'}
        onChange={async (e) => {
          setBusy(true);
          onBusy?.(true);
          try {
            onVisit(await callScribe('draft.regenerate', { visitId: visit.id, template: e.target.value }));
          } catch (err) {
            onError(`Could not redraft: ${errorText(err)}`);
          } finally {
            setBusy(false);
            onBusy?.(false);
          }
        }}
      >
        {templates.map((t) => (
          <option key={t.name} value={t.name}>
            {t.title}
          </option>
        ))}
      </select>
    </label>
  );
}
