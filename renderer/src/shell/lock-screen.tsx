import { useEffect, useState } from 'react';
import type { LockStatus } from '../../../app/contract/index.ts';
import { callScribe, errorText, onEventsResumed, onScribe } from '../bridge.ts';
import { Modal } from './modal.tsx';

/** Follows the core's session lock: the lock screen covers everything until the PIN is entered. */
export function useLockStatus(): [LockStatus | null, (s: LockStatus) => void] {
  const [status, setStatus] = useState<LockStatus | null>(null);
  useEffect(() => {
    callScribe('session.lockStatus', {}).then(setStatus, () => undefined);
    // The core's idle timer locks and says so (session.lockChanged): the screen follows without polling.
    const off = onScribe('session.lockChanged', setStatus);
    const offResumed = onEventsResumed(() => void callScribe('session.lockStatus', {}).then(setStatus, () => undefined));
    return () => {
      off();
      offResumed();
    };
  }, []);
  return [status, setStatus];
}

export function LockScreen({ status, onStatus }: { status: LockStatus; onStatus: (s: LockStatus) => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      as="form"
      backdropClassName="lock-backdrop"
      labelledBy="lock-title"
      testId="lock-screen"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          onStatus(await callScribe('session.unlock', { pin }));
          setPin('');
        } catch (err) {
          setError(errorText(err));
          setPin(''); // a wrong PIN does not stay in the field
        }
      }}
    >
      <h2 id="lock-title">Scribe is locked</h2>
      <p className="muted">
        {status.reason === 'idle'
          ? `Locked after ${status.idleMinutes} minutes without activity.`
          : status.reason === 'restart'
            ? 'Scribe restarted: confirm it is you.'
            : 'Locked by hand.'}{' '}
        Recording continues. Enter your PIN to go on; signing needs it too.
      </p>
      <input
        type="password"
        inputMode="numeric"
        autoComplete="current-password"
        autoFocus
        data-testid="unlock-pin"
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
        aria-label="PIN"
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button className="primary" type="submit" disabled={pin.length < 4}>
          Unlock
        </button>
      </div>
    </Modal>
  );
}

/** Lock now, or set the PIN that unlocks (needed before the idle lock can engage). */
export function LockControls({ status, onStatus }: { status: LockStatus | null; onStatus: (s: LockStatus) => void }) {
  const [setting, setSetting] = useState(false);
  const [pin, setPin] = useState('');
  const [current, setCurrent] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  if (!status) return null;
  return (
    <span className="lock-controls">
      {status.hasPin && (
        <button
          className="link"
          data-testid="lock-now"
          onClick={() => callScribe('session.lock', {}).then(onStatus, (e: unknown) => setMessage(errorText(e)))}
        >
          Lock
        </button>
      )}
      <button className="link" data-testid="set-pin" onClick={() => setSetting((v) => !v)}>
        {status.hasPin ? 'Change PIN' : 'Set unlock PIN'}
      </button>
      {setting && (
        <form
          className="pin-form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              onStatus(await callScribe('session.setPin', { pin, ...(status.hasPin ? { currentPin: current } : {}) }));
              setSetting(false);
              setPin('');
              setCurrent('');
              setMessage('PIN saved in the OS keychain.');
            } catch (err) {
              setMessage(errorText(err));
            }
          }}
        >
          {status.hasPin && (
            <input
              type="password"
              inputMode="numeric"
              placeholder="Current PIN"
              value={current}
              onChange={(e) => setCurrent(e.target.value.replace(/\D/g, ''))}
            />
          )}
          <input
            type="password"
            inputMode="numeric"
            placeholder="New PIN (4–12 digits)"
            data-testid="new-pin"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
          <button type="submit" disabled={pin.length < 4}>
            Save
          </button>
        </form>
      )}
      {message && <small className="muted"> {message}</small>}
    </span>
  );
}
