// The console's writes: each asks for confirmation first, then calls the /v1 API with the console cookie, so the
// audit trail attributes it to the console session like any other call.
import { el } from './dom.js';
import { post } from './api.js';

/** Asks in the page's dialog; resolves true only when the operator confirms. */
export function confirmAction(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/** A button that, once confirmed, runs `request` and then `done` (a refresh); failures go to the status line. */
export function actionButton(label, question, request, done, attrs = {}) {
  return el('button', {
    type: 'button', class: 'danger', ...attrs,
    onclick: async () => {
      if (!(await confirmAction(question))) return;
      try {
        await request();
        status(`${label}: done.`);
      } catch (e) {
        status(`${label} failed: ${e.code} ${e.message}`, true);
      }
      done();
    },
  }, label);
}

export function status(text, error = false) {
  const line = document.getElementById('status');
  line.textContent = text;
  line.classList.toggle('error', error);
}

export const revoke = {
  token: jti => post('/v1/revocations', { jti, reason: 'revoked in the console' }),
  session: sessionId => post('/v1/revocations', { session_id: sessionId, reason: 'revoked in the console' }),
  task: (agentId, taskId) => post('/v1/revocations', { task_id: taskId, agent_id: agentId, reason: 'revoked in the console' }),
  agent: agentId => post('/v1/revocations', { agent_id: agentId, reason: 'revoked in the console' }),
  disable: agentId => post(`/v1/agents/${encodeURIComponent(agentId)}/disable`, { reason: 'disabled in the console' }),
};
