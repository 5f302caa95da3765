/**
 * Medplum 5 reads the global `WebSocket` when its modules load (Node 22 has one; Node 20 only behind
 * `--experimental-websocket`). Scribe never opens a Medplum subscription socket, so on Node 20 we
 * provide `ws`'s implementation before any @medplum module is evaluated. Every module in app/fhir that
 * imports @medplum imports this file first (ES modules evaluate imports in order).
 */
import WebSocketImpl from 'ws';

if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocketImpl;
}
