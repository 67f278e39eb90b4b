// The revocation stream (server-sent events, with the console cookie): views subscribe to be told of each new
// revocation. The browser reconnects on its own and resumes after the last event id it saw.
const listeners = new Set();
let source = null;

export function startFeed() {
  if (source) return;
  source = new EventSource('/v1/revocations/stream');
  source.addEventListener('revocation', event => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    listeners.forEach(listener => listener(data));
  });
}

export function stopFeed() {
  if (source) source.close();
  source = null;
}

export function onRevocation(listener) {
  listeners.add(listener);
}

export function clearListeners() {
  listeners.clear();
}
