import { ipcMain, type WebContents } from 'electron';
import { toWireError } from '../app/core/index.ts';
import type { Core } from '../app/core/index.ts';

export const CALL_CHANNEL = 'scribe:call';
export const EVENT_CHANNEL = 'scribe:event';

/**
 * Routes the preload's calls to the core's dispatcher (which validates every payload against the
 * contract and checks the caller's role) and forwards the core's events to the window.
 * Calls are accepted only from our own window's top frame.
 */
export function routeIpc(core: Core, isTrusted: (contents: WebContents, frameUrl: string) => boolean): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, input: unknown) => {
    if (!event.senderFrame || event.senderFrame.parent !== null || !isTrusted(event.sender, event.senderFrame.url)) {
      throw new Error(JSON.stringify({ code: 'forbidden', message: "Calls are accepted only from Scribe's own window" }));
    }
    try {
      return await core.dispatch(name, input);
    } catch (error) {
      // Electron keeps only the message of a thrown error: carry the wire error in it as JSON.
      throw new Error(JSON.stringify(toWireError(error)));
    }
  });
  const windows = new Set<WebContents>();
  const unsubscribe = core.subscribe((eventName, payload) => {
    for (const contents of windows) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, eventName, payload);
  });
  ipcMain.on('scribe:attach', (event) => {
    if (isTrusted(event.sender, event.senderFrame?.url ?? '')) windows.add(event.sender);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeAllListeners('scribe:attach');
  };
}
