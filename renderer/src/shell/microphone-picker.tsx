import { useEffect, useState } from 'react';
import { chooseMicrophone, chosenMicrophone } from './microphone.ts';

/** Which microphone records visits and dictation on this workstation (names appear once access was granted). */
export function MicrophonePicker() {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  const [chosen, setChosen] = useState<string>(chosenMicrophone() ?? '');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const list = () =>
      navigator.mediaDevices?.enumerateDevices().then(
        (all) =>
          alive && setDevices(all.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications')),
        () => alive && setError('The list of microphones could not be read.'),
      );
    void list();
    navigator.mediaDevices?.addEventListener('devicechange', list);
    return () => {
      alive = false;
      navigator.mediaDevices?.removeEventListener('devicechange', list);
    };
  }, []);

  if (!navigator.mediaDevices) return null;
  return (
    <label className="mic-picker">
      Microphone{' '}
      <select
        data-testid="microphone-picker"
        value={devices?.some((d) => d.deviceId === chosen) ? chosen : ''}
        onChange={(e) => {
          setChosen(e.target.value);
          chooseMicrophone(e.target.value || null);
        }}
      >
        <option value="">System default</option>
        {(devices ?? []).map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `Microphone ${i + 1}`}
          </option>
        ))}
      </select>
      {error && <small className="error"> {error}</small>}
    </label>
  );
}
