// Agents: what each may ask for and the tier its tokens get; revoke everything an agent holds, or disable it.
import { el, show, table, list } from './dom.js';
import { get } from './api.js';
import { actionButton, revoke } from './actions.js';

export async function render(container, refresh) {
  const data = await get('/console/api/agents');
  show(container, el('h2', { text: 'Agents' }),
    table('agents', ['Name', 'Agent', 'Kind', 'Scopes', 'Audiences', 'Tier', 'State', ''], data.agents.map(a =>
      el('tr', { 'data-agent': a.agent_id },
        el('td', { text: a.name }),
        el('td', {}, el('code', { text: a.agent_id })),
        el('td', { text: a.kind }),
        el('td', { text: list(a.scopes) }),
        el('td', { text: list(a.audiences) || '(the broker)' }),
        el('td', {}, el('span', { class: `tier ${a.tier}`, text: a.tier })),
        el('td', { text: a.disabled ? `disabled ${a.disabled_at}` : 'enabled' }),
        el('td', {}, a.disabled ? null : [
          actionButton('Revoke', `Revoke everything agent ${a.name} holds (its sessions, tokens and tasks)?`,
            () => revoke.agent(a.agent_id), refresh, { 'data-action': 'revoke-agent' }),
          actionButton('Disable', `Disable agent ${a.name}? It is logged out everywhere and cannot log in again.`,
            () => revoke.disable(a.agent_id), refresh, { 'data-action': 'disable-agent' }),
        ])))));
}
