// The console session: trading a one-time link's code for the session cookie, renewing the session's short-lived
// token before it expires, and the broker's clock (countdowns run on it, not on the browser's).
import { get, post } from './api.js';

let offsetMs = 0;
let renewTimer = null;

/** The broker's "now", in epoch milliseconds. */
export function brokerNow() {
  return Date.now() + offsetMs;
}

/** Learns the broker's clock from a view that says what "now" is. */
export function syncClock(nowIso) {
  if (nowIso) offsetMs = Date.parse(nowIso) - Date.now();
}

/** The link's code from the fragment (#code=...), removed from the address bar and history at once. */
export function takeCodeFromFragment() {
  const match = /^#code=([A-Za-z0-9_]+)$/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + '#sessions');
  return match[1];
}

export async function login(code) {
  return started(await post('/console/api/login', { code }));
}

/** Whether a console cookie is already good (a reload of a signed-in page), and whose session it is. */
export async function resume() {
  const me = await get('/v1/whoami');
  scheduleRenewal(me.expires_in_s * 0.4);
  return { agent_id: me.agent_id, session_id: me.session_id };
}

export async function logout() {
  clearTimeout(renewTimer);
  await post('/console/api/logout');
}

function started(data) {
  syncClock(data.now);
  // Early (40% of the token's life): a background tab's timers may fire up to a minute late, and an expired
  // token can no longer be renewed.
  const lifetime = (Date.parse(data.token_expires_at) - Date.parse(data.now)) / 1000;
  scheduleRenewal(Math.min(data.refresh_after, lifetime * 0.4));
  return data;
}

function scheduleRenewal(seconds) {
  clearTimeout(renewTimer);
  renewTimer = setTimeout(async () => {
    try {
      started(await post('/console/api/renew'));
    } catch (e) {
      document.dispatchEvent(new CustomEvent('console-signed-out', { detail: e }));
    }
  }, Math.max(1, seconds) * 1000);
}
