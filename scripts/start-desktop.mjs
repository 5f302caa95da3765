// `npm start`: the desktop app. Where no Electron binary is installed (electron's own postinstall
// downloads it from GitHub, impossible on some networks), say so and point at the browser build.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  electronPath = null;
}
if (typeof electronPath !== 'string') {
  console.error(
    "No Electron binary is installed on this machine (it is downloaded from GitHub by electron's postinstall).\n" +
      'Install it with network access (`npx electron --version`), or run the same app in a browser: npm run dev:web',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
