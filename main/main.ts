import { app, BrowserWindow, dialog, globalShortcut, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore, type Core } from '../app/core/index.ts';
import { CONTENT_SECURITY_POLICY } from '../app/web-bridge/csp.ts';
import { routeIpc } from './ipc.ts';

// Electron's face on the core: one hardened window, the OS keychain, the app's lifecycle.
// All clinical work is in app/ (see docs/security.md for the checklist this file implements).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererIndex = path.join(repoRoot, 'dist', 'renderer', 'index.html');
const rendererRoot = pathToFileURL(path.dirname(rendererIndex) + path.sep).href;

/** Only the SMART sign-in page the core handed out (on whatever origin the EHR hosts it) opens in the system browser. */
function isEhrSignInUrl(url: string): boolean {
  return core?.isSignInUrl(url) ?? false;
}

function isTrusted(_contents: WebContents, url: string): boolean {
  return url.startsWith(rendererRoot);
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | null = null;
const DICTATE_SHORTCUT = 'Alt+Shift+D';

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Scribe',
    show: false,
    webPreferences: {
      preload: path.join(repoRoot, 'dist', 'main', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  await win.loadFile(rendererIndex);
  // Dictation from anywhere on the desktop: bring Scribe forward and press its in-app shortcut.
  globalShortcut.register(DICTATE_SHORTCUT, () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    for (const type of ['keyDown', 'keyUp'] as const) win.webContents.sendInputEvent({ type, keyCode: 'D', modifiers: ['alt', 'shift'] });
  });
}

app.on('web-contents-created', (_event, contents) => {
  // No navigation away from the app, no new windows; links go to the system browser only if https.
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(rendererRoot)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only the EHR's sign-in page (SMART, RFC 8252) opens, in the system browser: the configured EHR's
    // origin, or the loopback sandbox. Anything else is refused.
    if (isEhrSignInUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  const ses = session.defaultSession;
  // Only the microphone, only for our own pages.
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const audioOnly = permission === 'media' && (details as { mediaTypes?: string[] }).mediaTypes?.every((t) => t === 'audio');
    callback(Boolean(audioOnly) && isTrusted(contents, details.requestingUrl));
  });
  ses.setPermissionCheckHandler(
    (contents, permission, _origin, details) =>
      permission === 'media' && contents !== null && isTrusted(contents, details.requestingUrl ?? ''),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    // No remote content: the renderer loads only its own files (the core talks to the EHR, not the page).
    const allowed =
      details.url.startsWith('file://') ||
      details.url.startsWith('devtools://') ||
      details.url.startsWith('blob:') ||
      details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });

  try {
    core = await createCore({ dataDir: app.getPath('userData') });
  } catch (error) {
    // No keychain, a locked data folder...: say what happened and what to do, instead of no window at all.
    const message = error instanceof Error ? error.message : String(error);
    await dialog.showMessageBox({
      type: 'error',
      title: 'Scribe cannot start',
      message: 'Scribe cannot start',
      detail: `${message}\n\nNothing was recorded or changed. Fix the cause above (for a keychain problem: sign in to your desktop session so its keyring is unlocked, or ask your IT admin), then start Scribe again.`,
      buttons: ['Quit'],
    });
    app.exit(1);
    return;
  }
  routeIpc(core, isTrusted);
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => globalShortcut.unregisterAll());

// Quitting waits for the core to close: queued audit records, the outbox and the vault are flushed first.
app.on('before-quit', (event) => {
  const closing = core;
  if (!closing) return;
  event.preventDefault();
  core = null;
  void closing
    .close()
    .catch((error: unknown) => console.error(`scribe: closing the core failed: ${String(error)}`))
    .finally(() => app.quit());
});
