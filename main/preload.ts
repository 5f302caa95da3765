import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames, type ScribeApi } from '../app/contract/index.ts';

// Exposes exactly the contract's calls on window.scribe (never raw ipcRenderer). Bundled by
// scripts/build-main.mjs so the sandboxed preload needs nothing but electron at run time.
const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on('scribe:event', (_event, name: string, payload: unknown) => {
  listeners.get(name)?.forEach((listener) => listener(payload));
});
ipcRenderer.send('scribe:attach');

const api: Record<string, unknown> = {};
for (const name of callNames) {
  api[name] = (input: unknown) => ipcRenderer.invoke('scribe:call', name, input);
}
api['on'] = (event: string, listener: (payload: unknown) => void) => {
  if (!(eventNames as string[]).includes(event) || typeof listener !== 'function') throw new Error(`Unknown event ${String(event)}`);
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener);
  return () => set!.delete(listener);
};

contextBridge.exposeInMainWorld('scribe', api as unknown as ScribeApi);
