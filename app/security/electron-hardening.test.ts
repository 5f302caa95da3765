import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../web-bridge/csp.ts';

/**
 * Electron cannot start on this machine (no binary), so the checklist in docs/security.md is guarded
 * here against regressions in the source itself: the window's webPreferences, the session handlers,
 * the preload's surface, the CSP, and the renderer's use of HTML sinks.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

function sourcesUnder(rel: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(child));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(child);
  }
  return out;
}

describe('Electron hardening (docs/security.md checklist), checked in the source', () => {
  const main = read('main/main.ts');
  const preload = read('main/preload.ts');
  const ipc = read('main/ipc.ts');

  it('creates windows with isolation, sandbox and no Node', () => {
    for (const setting of [
      'contextIsolation: true',
      'sandbox: true',
      'nodeIntegration: false',
      'nodeIntegrationInWorker: false',
      'webSecurity: true',
      'allowRunningInsecureContent: false',
    ]) {
      expect(main, setting).toContain(setting);
    }
    expect(main).toContain('app.enableSandbox()');
    expect(main).not.toMatch(
      /experimentalFeatures:\s*true|enableBlinkFeatures|webviewTag:\s*true|nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false/,
    );
    expect(main).toMatch(/devTools:\s*!app\.isPackaged/);
  });

  it('limits navigation, new windows, webviews, permissions and remote requests', () => {
    expect(main).toMatch(/'will-navigate'[\s\S]{0,200}preventDefault/);
    expect(main).toMatch(/'will-attach-webview'[\s\S]{0,80}preventDefault/);
    expect(main).toMatch(/setWindowOpenHandler[\s\S]{0,500}return \{ action: 'deny' \}/);
    expect(main).toMatch(/setPermissionRequestHandler[\s\S]{0,400}permission === 'media'/);
    expect(main).toMatch(/onBeforeRequest[\s\S]{0,400}cancel: !allowed/);
    expect(main).toContain("'Content-Security-Policy': [CONTENT_SECURITY_POLICY]");
  });

  it('exposes only the contract through contextBridge and checks IPC senders', () => {
    expect(preload).toContain("contextBridge.exposeInMainWorld('scribe'");
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(preload).toMatch(/for \(const name of callNames\)/);
    expect(ipc).toMatch(/senderFrame\.parent !== null|!isTrusted\(event\.sender/);
  });

  it('serves a CSP with no inline or eval script, no plugins, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    const sources = [...directives.values()].flat();
    expect(sources).not.toContain('*');
    expect(sources.filter((v) => /^(https?|wss?):/.test(v) && !/^(ws|http):\/\/127\.0\.0\.1(:|$)/.test(v))).toEqual([]);
  });

  it('renders text, never HTML, anywhere in the renderer', () => {
    const sinks = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(|\beval\(|new Function\(/;
    const offenders = sourcesUnder('renderer/src').filter((file) => sinks.test(read(file)));
    expect(offenders).toEqual([]);
  });
});
