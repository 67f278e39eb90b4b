// Revocations: the log, newest first, with new ones added live from the revocation stream.
import { el, show } from './dom.js';
import { get } from './api.js';
import { onRevocation } from './feed.js';

export async function render(container) {
  const rows = [];
  let since = 0;
  for (let page = 0; page < 20; page++) {
    const data = await get(`/v1/revocations?since=${since}&limit=1000`);
    rows.push(...data.revocations);
    since = data.next_since;
    if (!data.more) break;
  }
  const body = el('tbody', {}, rows.reverse().map(row));
  show(container, el('h2', { text: 'Revocations' }), el('p', { class: 'muted', text: 'Live from the revocation feed.' }),
    el('table', { id: 'revocations' }, el('thead', {}, el('tr', {},
      ['Seq', 'Kind', 'Target', 'Agent', 'Reason', 'Revoked at', 'Covers until'].map(t => el('th', { text: t })))), body));
  onRevocation(r => {
    if (!body.isConnected || body.querySelector(`tr[data-seq="${Number(r.seq)}"]`)) return;
    body.prepend(row(r));
  });
}

function row(r) {
  return el('tr', { 'data-seq': r.seq },
    el('td', { text: r.seq }), el('td', { text: r.kind }), el('td', {}, el('code', { text: r.target })),
    el('td', { text: r.agent_id || '' }), el('td', { text: r.reason || '' }),
    el('td', { text: r.revoked_at }), el('td', { text: r.covers_until }));
}
