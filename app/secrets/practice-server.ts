import { isIP } from 'node:net';

/**
 * The rule for a practice inference server (drafting or transcription): visit text and audio leave this
 * workstation only over https, except to this machine itself (loopback) or to an address the IT admin
 * explicitly allowed (for example a GPU server on the clinic's own network without a certificate).
 */

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/** Returns the parsed URL or throws an Error in plain words saying what is wrong with it. */
export function checkPracticeServerUrl(raw: string, allowedPlainHosts: readonly string[] = []): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a web address (expected e.g. https://llm.clinic.local:8000)`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:')
    throw new Error(`${raw}: only https (or http to this machine) is allowed, not ${url.protocol.replace(':', '')}`);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host)) return url;
  if (allowedPlainHosts.map((h) => h.toLowerCase()).includes(host)) return url;
  throw new Error(
    `${raw}: visit data may only go to a practice server over https; plain http is allowed only to this machine or to an address IT has allowed`,
  );
}

/** `base` + an OpenAI-compatible path, whether or not the base already ends in /v1. */
export function openAiEndpoint(base: URL, path: string): URL {
  const root = base.pathname.replace(/\/+$/, '');
  const withV1 = /\/v1$/.test(root) ? root : `${root}/v1`;
  return new URL(`${base.origin}${withV1}/${path.replace(/^\//, '')}`);
}
