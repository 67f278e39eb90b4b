// Live sessions: one card per session with its countdown, its unexpired tokens (each with a countdown) and its
// tasks; revoke a token, a task or the session.
import { el, show, list } from './dom.js';
import { get } from './api.js';
import { countdown } from './countdown.js';
import { syncClock } from './session.js';
import { actionButton, revoke } from './actions.js';

export async function render(container, refresh) {
  const data = await get('/console/api/sessions');
  syncClock(data.now);
  if (data.sessions.length === 0) {
    show(container, el('h2', { text: 'Sessions' }), el('p', { text: 'No session is live.' }));
    return;
  }
  show(container, el('h2', { text: 'Sessions' }), data.sessions.map(s => card(s, refresh)));
}

function card(s, refresh) {
  const stopped = s.status !== 'live';
  return el('article', { class: `session ${s.status}`, id: `session-${s.session_id}`, 'data-status': s.status },
    el('header', {},
      el('strong', { text: s.agent_name || s.agent_id }),
      el('span', { class: 'muted', text: ` ${s.agent_kind || ''} · ${s.session_id}` }),
      el('span', { class: `badge ${s.status}`, text: s.status + (s.end_reason ? ` (${s.end_reason})` : '') }),
      stopped ? null : actionButton('Revoke session', `Revoke session ${s.session_id} of ${s.agent_name || s.agent_id}? `
        + 'Every token issued in it stops working at once.', () => revoke.session(s.session_id), refresh,
      { 'data-action': 'revoke-session' })),
    el('div', { class: 'row' }, el('span', { class: 'what', text: 'session' }), countdown(s.created_at, s.expires_at, stopped),
      el('span', { class: 'muted', text: list(s.scopes) })),
    s.tokens.length === 0 ? null : el('div', { class: 'tokens' }, s.tokens.map(t => el('div', {
      class: 'row token', 'data-jti': t.jti, 'data-revoked': String(t.revoked) },
    el('span', { class: 'what', text: t.task_id ? `task ${t.task_id}` : 'token' }),
    countdown(t.issued_at, t.expires_at, t.revoked),
    el('code', { text: t.jti }),
    el('span', { class: `tier ${t.tier}`, text: t.tier }),
    t.revoked ? null : actionButton('Revoke token', `Revoke token ${t.jti}?`, () => revoke.token(t.jti), refresh,
      { 'data-action': 'revoke-token' })))),
    s.tasks.length === 0 ? null : el('div', { class: 'tasks' }, el('span', { class: 'what', text: 'tasks' }),
      s.tasks.map(k => el('span', { class: k.revoked ? 'task revoked' : 'task' },
        `${k.task_id} (${k.tokens})`,
        k.revoked ? null : actionButton('Revoke task', `Revoke task ${k.task_id} of ${s.agent_name || s.agent_id}? `
          + 'Its tokens stop working and it gets no new ones.', () => revoke.task(s.agent_id, k.task_id), refresh,
        { 'data-action': 'revoke-task' })))));
}
