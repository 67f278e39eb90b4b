// Countdown bars: how much of a token's or session's lifetime is left, redrawn every second on the broker's clock.
import { el } from './dom.js';
import { brokerNow } from './session.js';

const bars = new Set();

/** A bar for a lifetime from `startIso` to `endIso`; `stopped` (revoked, ended) draws it spent. */
export function countdown(startIso, endIso, stopped) {
  const fill = el('span', { class: 'fill' });
  const label = el('span', { class: 'label' });
  const bar = el('span', { class: stopped ? 'countdown stopped' : 'countdown', 'data-expires-at': endIso }, fill, label);
  const item = { bar, fill, label, start: Date.parse(startIso), end: Date.parse(endIso), stopped };
  bars.add(item);
  draw(item);
  return bar;
}

function draw(item) {
  if (!item.bar.isConnected && item.drawn) {
    bars.delete(item);
    return;
  }
  item.drawn = true;
  const left = Math.max(0, item.end - brokerNow());
  const whole = Math.max(1, item.end - item.start);
  const fraction = item.stopped ? 0 : Math.min(1, left / whole);
  item.fill.style.width = `${(fraction * 100).toFixed(1)}%`;
  item.bar.classList.toggle('low', fraction < 0.2);
  item.label.textContent = item.stopped ? 'revoked' : left === 0 ? 'expired' : formatLeft(left);
  item.bar.setAttribute('data-seconds-left', String(item.stopped ? 0 : Math.floor(left / 1000)));
}

export function formatLeft(ms) {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

setInterval(() => bars.forEach(draw), 1000);
