// Calls to the broker with the console's cookie. Writes echo the CSRF cookie in a header (double submit);
// every answer is Mayfly's envelope, and a refusal is thrown as its catalog error.

const CSRF_COOKIE = 'mayfly_console_csrf';
const CSRF_HEADER = 'X-Mayfly-CSRF';

export class ConsoleError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return rest.join('=');
  }
  return '';
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers[CSRF_HEADER] = csrfToken();
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ConsoleError('UNAVAILABLE', 'The broker cannot be reached.');
  }
  let envelope;
  try {
    envelope = await response.json();
  } catch (e) {
    throw new ConsoleError('INTERNAL', `The broker answered ${response.status} without an envelope.`);
  }
  if (!envelope.ok) {
    const error = envelope.error || {};
    throw new ConsoleError(error.code || 'INTERNAL', error.message || 'The request failed.');
  }
  return envelope.data;
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
