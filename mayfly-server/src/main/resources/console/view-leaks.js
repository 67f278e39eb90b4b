// Leaks: every leaked Mayfly token reported to the broker (and so revoked), from the audit trail.
import { el, show, table } from './dom.js';
import { get } from './api.js';

export async function render(container) {
  const data = await get('/v1/audit?event=leak.reported&limit=1000');
  const records = data.records.slice().reverse();
  show(container, el('h2', { text: 'Leaks' }),
    records.length === 0 ? el('p', { text: 'No leak has been reported.' }) :
      table('leaks', ['Reported at', 'Agent', 'Session', 'Token (jti)', 'Where', 'Outcome'], records.map(r =>
        el('tr', {},
          el('td', { text: r.at }), el('td', { text: r.agent_id || '' }), el('td', { text: r.session_id || '' }),
          el('td', {}, el('code', { text: r.jti || '' })),
          el('td', { text: where(r.details) }), el('td', { text: r.outcome })))));
}

function where(details) {
  if (!details) return '';
  return [details.source, details.url, details.type].filter(Boolean).join(' · ');
}
