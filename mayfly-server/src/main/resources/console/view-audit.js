// The audit trail: filter by agent, session, task or event; the chain's verification result on top.
import { el, show, table, list } from './dom.js';
import { get } from './api.js';

const FILTERS = [['agent_id', 'Agent'], ['session_id', 'Session'], ['task_id', 'Task'], ['event', 'Event']];

export async function render(container, refresh, params = new URLSearchParams()) {
  const verify = await get('/v1/audit/verify');
  const query = new URLSearchParams();
  FILTERS.forEach(([name]) => { if (params.get(name)) query.set(name, params.get(name)); });
  query.set('limit', '200');
  if (params.get('after')) query.set('after', params.get('after'));
  const data = await get(`/v1/audit?${query}`);
  const form = el('form', { id: 'audit-filters', class: 'filters' },
    FILTERS.map(([name, label]) => el('label', {}, label,
      el('input', { name, value: params.get(name) || '', autocomplete: 'off', spellcheck: 'false' }))),
    el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    FILTERS.forEach(([name]) => { const v = form.elements[name].value.trim(); if (v) next.set(name, v); });
    render(container, refresh, next).catch(e => refresh(e));
  });
  const more = data.next_after === null ? null : el('button', {
    type: 'button', id: 'audit-more', onclick: () => {
      const next = new URLSearchParams(params);
      next.set('after', data.next_after);
      render(container, refresh, next).catch(e => refresh(e));
    },
  }, 'Next page');
  show(container, el('h2', { text: 'Audit trail' }),
    el('p', { id: 'audit-verify', class: verify.valid ? 'badge live' : 'badge revoked', 'data-valid': String(verify.valid) },
      verify.valid ? `Chain verified: ${verify.checked} records intact.`
        : `Chain broken at record ${verify.first_bad_seq}: ${verify.problem}`),
    form,
    table('audit', ['Seq', 'At', 'Event', 'Outcome', 'Agent', 'Session', 'Task', 'Token', 'Actor'],
      data.records.map(r => [
        el('tr', { 'data-seq': r.seq, class: r.details ? 'has-details' : null },
          el('td', { text: r.seq }), el('td', { text: r.at }), el('td', { text: r.event }),
          el('td', { text: r.code ? `${r.outcome} ${r.code}` : r.outcome }),
          el('td', { text: r.agent_id || '' }), el('td', { text: r.session_id || '' }), el('td', { text: r.task_id || '' }),
          el('td', { text: r.jti || '' }), el('td', { text: actor(r.actor) })),
        // The details under their record, across the row: a column of their own would squeeze the table.
        r.details ? el('tr', { class: 'details' }, el('td', {}), el('td', { colspan: 8 }, details(r.details))) : null,
      ])),
    more);
}

/**
 * Each detail as a name beside its value, in separate elements: no "name: value" text is built, so a fingerprint
 * beside "refresh_token" reads as what it is, not as an assignment of a secret.
 */
function details(d) {
  if (!d) return null;
  return Object.entries(d).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) =>
    el('span', { class: 'kv' }, el('span', { class: 'k', text: k }),
      el('span', { class: 'v', text: typeof v === 'object' ? JSON.stringify(v) : String(v) })));
}

function actor(a) {
  if (!a) return '';
  if (a.system) return `broker: ${a.system}`;
  return list([a.agent_id, a.session_id && `session ${a.session_id}`, a.task_id && `task ${a.task_id}`].filter(Boolean));
}
