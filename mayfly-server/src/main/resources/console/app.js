// The console's shell: sign in from a one-time link (or resume a signed-in cookie), switch views by the fragment,
// refresh the shown view every few seconds and at once when the revocation feed reports something.
import { show, el } from './dom.js';
import { login, logout, resume, takeCodeFromFragment } from './session.js';
import { startFeed, stopFeed, onRevocation, clearListeners } from './feed.js';
import { status } from './actions.js';
import * as sessions from './view-sessions.js';
import * as agents from './view-agents.js';
import * as revocations from './view-revocations.js';
import * as leaks from './view-leaks.js';
import * as audit from './view-audit.js';
import * as policy from './view-policy.js';

const VIEWS = { sessions, agents, revocations, leaks, audit, policy };
// Views that refetch on a timer; the others change only on request (audit, policy) or live (revocations).
const POLLED = new Set(['sessions', 'agents', 'leaks']);
const POLL_MS = 5000;
let current = null;
let pollTimer = null;
let signedIn = false;

function viewName() {
  const name = window.location.hash.replace(/^#/, '');
  return VIEWS[name] ? name : 'sessions';
}

async function open(name) {
  clearTimeout(pollTimer);
  clearListeners();
  current = name;
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.dataset.view === name));
  const container = el('section', { id: `view-${name}`, class: 'panel', 'data-view': name });
  show(document.getElementById('main'), container);
  await draw(name, container);
  if (name === 'sessions' || name === 'agents') {
    let pending = null;
    onRevocation(() => {
      clearTimeout(pending);
      pending = setTimeout(() => redraw(name, container), 200);
    });
  }
}

async function draw(name, container) {
  try {
    await VIEWS[name].render(container, () => redraw(name, container));
    container.setAttribute('data-loaded', new Date().toISOString());
  } catch (e) {
    failed(e);
  }
  if (POLLED.has(name) && signedIn) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => redraw(name, container), POLL_MS);
  }
}

function redraw(name, container) {
  if (current === name && container.isConnected) draw(name, container);
}

function failed(e) {
  if (e && /^CREDENTIALS_/.test(e.code)) {
    signedOut(`Signed out: ${e.message} Run "mayfly console" for a new link.`);
  } else {
    status(`${e.code || 'INTERNAL'}: ${e.message}`, true);
  }
}

function signedOut(message) {
  signedIn = false;
  clearTimeout(pollTimer);
  stopFeed();
  document.getElementById('logout').hidden = true;
  document.getElementById('whoami').textContent = '';
  document.body.classList.add('signed-out');
  show(document.getElementById('main'), el('section', { id: 'login', class: 'panel' },
    el('h2', { text: 'Sign in' }),
    el('p', { text: 'Run "mayfly console" as the admin: it prints a one-time link that opens this page signed in. '
      + 'A link works once, for 60 seconds.' })));
  status(message, true);
}

function signedInAs(data) {
  signedIn = true;
  document.body.classList.remove('signed-out');
  document.getElementById('whoami').textContent = data.agent_id
    ? `admin ${data.agent_id} · console session ${data.session_id}` : 'signed in';
  document.getElementById('logout').hidden = false;
  startFeed();
}

async function start() {
  document.addEventListener('console-signed-out', e => failed(e.detail));
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await logout();
    } finally {
      signedOut('Signed out.');
    }
  });
  window.addEventListener('hashchange', () => {
    // A new link pasted into this tab: start over, so it is traded like the first.
    if (/^#code=/.test(window.location.hash)) window.location.reload();
    else if (signedIn) open(viewName());
  });
  const code = takeCodeFromFragment();
  try {
    signedInAs(code ? await login(code) : await resume());
  } catch (e) {
    failed(e);
    return;
  }
  status('');
  open(viewName());
}

start();
