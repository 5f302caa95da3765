const KEY = 'scribe.microphone';

/** The microphone this workstation chose (a headset or the room microphone), or null for the system default. */
export function chosenMicrophone(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function chooseMicrophone(deviceId: string | null): void {
  if (deviceId) localStorage.setItem(KEY, deviceId);
  else localStorage.removeItem(KEY);
}

/** getUserMedia audio constraints with the chosen microphone preferred (not required: an unplugged headset falls back). */
export function withChosenMicrophone(audio: MediaTrackConstraints): MediaTrackConstraints {
  const id = chosenMicrophone();
  return id ? { ...audio, deviceId: { ideal: id } } : audio;
}
