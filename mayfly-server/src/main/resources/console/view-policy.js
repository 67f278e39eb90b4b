// The lifetime policy as a matrix: each scope rule (and any other scope) against each agent kind gives a tier,
// and the tier and the kind's cap give the token's lifetime.
import { el, show, table, list } from './dom.js';
import { get } from './api.js';

const KINDS = ['interactive', 'llm', 'batch'];

export async function render(container) {
  const p = await get('/v1/policy');
  const rows = p.scope.map(rule => [rule.pattern, rule.tier]);
  rows.push(['(any other scope)', p.default_tier]);
  if (p.cross_trust_audiences.length > 0) rows.push([`audience ${list(p.cross_trust_audiences)}`, 'high']);
  show(container, el('h2', { text: 'Lifetime policy' }),
    el('p', { class: 'muted', text: `A token gets the highest tier among its scopes; its lifetime is the least of its tier's, `
      + `its agent kind's, what it asked for and what is left of its session (at most ${p.session_max}). `
      + `Clock leeway ${p.clock_leeway}.` }),
    table('policy', ['Scope', ...KINDS], rows.map(([pattern, tier]) => el('tr', {},
      el('th', {}, el('code', { text: pattern })),
      KINDS.map(kind => el('td', {}, el('span', { class: `tier ${tier}`, text: tier }), ' → ',
        el('strong', { text: lifetime(p, tier, kind) })))))),
    el('h3', { text: 'Tiers' }),
    table('tiers', ['Tier', 'Lifetime'], Object.entries(p.tiers).map(([t, d]) =>
      el('tr', {}, el('td', {}, el('span', { class: `tier ${t}`, text: t })), el('td', { text: d })))),
    el('h3', { text: 'Agent kinds' }),
    table('kinds', ['Kind', 'Longest token'], Object.entries(p.kinds).map(([k, d]) =>
      el('tr', {}, el('td', { text: k }), el('td', { text: d })))));
}

/** The shorter of the tier's lifetime and the kind's cap, in the policy's own notation. */
function lifetime(p, tier, kind) {
  const ttl = p.tiers[tier];
  const cap = p.kinds[kind];
  return cap && seconds(cap) < seconds(ttl) ? cap : ttl;
}

function seconds(d) {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/(\d+)(ms|d|h|m|s)/g)) {
    total += Number(n) * { d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 }[unit];
  }
  return total;
}
