import { useEffect, useState } from 'react';
import type { StyleProfileView, StyleRuleView } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import './style.css';

const STATE_TEXT: Record<StyleRuleView['state'], string> = {
  applied: 'Applied to new drafts',
  learning: 'Still learning',
  fading: 'Paused: your recent notes disagree',
  off: 'Switched off',
};

const ITEM_TEXT: Record<string, string> = {
  'follow-up': 'Follow-up',
  medication: 'Medications',
  vitals: 'Vitals',
  negation: 'Negatives',
  wording: 'Wording',
  section: 'Sections',
  template: 'Template',
};

/** "N" for the number a rule carries over from the draft. */
const shown = (pattern: string | undefined) => (pattern ?? '').replace(/\{\d+\}/g, 'N');

function RuleRow({
  rule,
  minSeen,
  onProfile,
  onError,
}: {
  rule: StyleRuleView;
  minSeen: number;
  onProfile: (p: StyleProfileView) => void;
  onError: (m: string | null) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [to, setTo] = useState(shown(rule.to));
  const [busy, setBusy] = useState(false);
  const run = (work: () => Promise<StyleProfileView>) => {
    setBusy(true);
    onError(null);
    work()
      .then(
        (p) => {
          onProfile(p);
          setEditing(false);
        },
        (e: unknown) => onError(errorText(e)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <tr data-testid={`style-rule-${rule.id}`} data-kind={rule.kind} data-state={rule.state} className={`style-rule state-${rule.state}`}>
      <td>
        <input
          type="checkbox"
          aria-label={`Use this rule: ${rule.description}`}
          data-testid={`style-rule-toggle-${rule.id}`}
          checked={rule.enabled}
          disabled={busy}
          onChange={(e) => run(() => callScribe('style.setRule', { ruleId: rule.id, enabled: e.currentTarget.checked }))}
        />
      </td>
      <td>
        <span className="style-item">{ITEM_TEXT[rule.item] ?? rule.item}</span>
        {editing ? (
          <form
            className="style-edit"
            onSubmit={(e) => {
              e.preventDefault();
              run(() => callScribe('style.editRule', { ruleId: rule.id, to }));
            }}
          >
            <span>{rule.kind === 'section.rename' ? `Title for "${rule.from}":` : `Instead of "${shown(rule.from)}" write:`}</span>
            <input
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              aria-label="New wording"
              data-testid={`style-rule-edit-input-${rule.id}`}
              autoFocus
            />
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false);
                setTo(shown(rule.to));
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <span className="style-desc" data-testid={`style-rule-text-${rule.id}`}>
            {rule.description}
            {rule.edited && <em className="muted"> (your wording)</em>}
          </span>
        )}
      </td>
      <td
        className="style-count"
        title={`${rule.seen} signed notes agreed, ${rule.against} did not; ${Math.round(rule.recentAgreement * 100)}% of your latest notes agreed`}
      >
        {rule.seen} {rule.seen === 1 ? 'note' : 'notes'}
        {rule.against ? <span className="muted"> · {rule.against} against</span> : null}
      </td>
      <td className={`style-state state-${rule.state}`} data-testid={`style-rule-state-${rule.id}`}>
        {STATE_TEXT[rule.state]}
        {rule.state === 'learning' && (
          <span className="muted">
            {' '}
            ({rule.seen}/{minSeen})
          </span>
        )}
      </td>
      <td>
        {rule.editable && !editing && (
          <button type="button" className="link" onClick={() => setEditing(true)} data-testid={`style-rule-edit-${rule.id}`}>
            Edit
          </button>
        )}
      </td>
    </tr>
  );
}

/** "My note style": everything Scribe learned from the notes this clinician signed, each rule switchable and editable. */
export function StylePage() {
  const [profile, setProfile] = useState<StyleProfileView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callScribe('style.profile', {}).then(setProfile, (e: unknown) => setError(errorText(e)));
  }, []);

  if (!profile)
    return (
      <section className="style-page">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Loading your note style…</p>
        )}
      </section>
    );
  const applied = profile.rules.filter((r) => r.state === 'applied').length;
  return (
    <section className="style-page" data-testid="style-page">
      <div className="style-head">
        <h1>My note style</h1>
        <span className="muted">
          Learned on this workstation from {profile.notes} signed {profile.notes === 1 ? 'note' : 'notes'} · {applied} applied to your
          drafts
        </span>
      </div>
      <p className="muted style-explain">
        Scribe compares each AI draft with the note you sign. A change you make in at least {profile.minSeen} notes becomes a rule, applied
        to your next drafts and marked <mark className="style-mark">from your style</mark> in the editor; it pauses when your recent notes
        stop agreeing with it. Style only changes how a note says things, never what it says. Your profile is encrypted on this computer and
        never sent anywhere.
      </p>
      {error && (
        <p className="error" role="alert" data-testid="style-error">
          {error}
        </p>
      )}
      {profile.length.signedWords !== null && (
        <p className="style-length" data-testid="style-length">
          Your signed notes: about {profile.length.signedWords} words (drafts: about {profile.length.draftedWords}).
        </p>
      )}
      {profile.rules.length === 0 ? (
        <p className="empty" data-testid="style-empty">
          Nothing learned yet. Sign a few notes and the changes you make every time will show up here.
        </p>
      ) : (
        <table className="style-rules" data-testid="style-rules">
          <thead>
            <tr>
              <th>Use</th>
              <th>Rule</th>
              <th>Seen in</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {profile.rules.map((r) => (
              <RuleRow key={r.id} rule={r} minSeen={profile.minSeen} onProfile={setProfile} onError={setError} />
            ))}
          </tbody>
        </table>
      )}
      <div className="style-reset">
        <button
          type="button"
          className="danger"
          data-testid="style-reset"
          onClick={() => {
            if (
              !window.confirm(
                'Forget everything Scribe learned about your note style? Your next drafts will be the plain drafter’s until it learns again.',
              )
            )
              return;
            callScribe('style.reset', { confirm: true }).then(setProfile, (e: unknown) => setError(errorText(e)));
          }}
        >
          Reset my note style
        </button>
      </div>
    </section>
  );
}
