import { useEffect, useState } from 'react';
import type { MetricsSettings } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The practice's baseline and clinic hours (practice manager only; the core refuses anyone else). */
/** Every IANA time zone this computer knows (the clinic's own first when it is not among them). */
function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function SettingsPanel({ onSaved, headingId }: { onSaved?: (s: MetricsSettings) => void; headingId?: string }) {
  const [settings, setSettings] = useState<MetricsSettings | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    callScribe('metrics.settings.get', {}).then(setSettings, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
  }, []);
  if (!settings)
    return message ? (
      <p className="error" role="alert">
        {message.text}
      </p>
    ) : (
      <p className="loading">Loading settings…</p>
    );

  const hours = settings.clinicHours;
  const update = (patch: Partial<MetricsSettings>) => setSettings({ ...settings, ...patch });
  const save = () => {
    callScribe('metrics.settings.set', settings).then(
      (s) => {
        setSettings(s);
        setMessage({ kind: 'ok', text: 'Saved.' });
        onSaved?.(s);
      },
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  };

  return (
    <form
      className="metrics-settings"
      data-testid="metrics-settings"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2 id={headingId}>Practice metrics</h2>
      <label>
        Minutes of documentation per note before Scribe{' '}
        <input
          type="number"
          min={0}
          max={240}
          step={0.5}
          data-testid="settings-baseline"
          value={settings.baselineMinutesPerNote}
          onChange={(e) => update({ baselineMinutesPerNote: Number(e.target.value) })}
        />
      </label>
      <label>
        Baseline from{' '}
        <select
          data-testid="settings-baseline-source"
          value={settings.baselineSource}
          onChange={(e) => update({ baselineSource: e.target.value as MetricsSettings['baselineSource'] })}
        >
          <option value="setting">the figure above</option>
          <option value="measured">notes written without a draft (when at least 10)</option>
        </select>
      </label>
      <fieldset>
        <legend>Clinic hours (editing outside them counts as after hours)</legend>
        <label>
          Opens{' '}
          <input
            type="time"
            data-testid="settings-open"
            value={hours.open}
            onChange={(e) => update({ clinicHours: { ...hours, open: e.target.value } })}
          />
        </label>{' '}
        <label>
          Closes{' '}
          <input
            type="time"
            data-testid="settings-close"
            value={hours.close}
            onChange={(e) => update({ clinicHours: { ...hours, close: e.target.value } })}
          />
        </label>{' '}
        <label>
          Time zone{' '}
          <select
            data-testid="settings-tz"
            value={hours.timeZone}
            onChange={(e) => update({ clinicHours: { ...hours, timeZone: e.target.value } })}
          >
            {timeZones(hours.timeZone).map((tz) => (
              <option key={tz} value={tz}>
                {tz.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <div className="days">
          {DAY_NAMES.map((name, day) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={hours.days.includes(day)}
                onChange={(e) =>
                  update({
                    clinicHours: { ...hours, days: e.target.checked ? [...hours.days, day].sort() : hours.days.filter((d) => d !== day) },
                  })
                }
              />
              {name}
            </label>
          ))}
        </div>
        <p className="muted">Changed hours apply to editing recorded from now on.</p>
      </fieldset>
      <div className="actions">
        <button className="primary" type="submit" data-testid="settings-save">
          Save settings
        </button>
        {message && (
          <span className={message.kind === 'error' ? 'error' : 'muted'} role="status">
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}
