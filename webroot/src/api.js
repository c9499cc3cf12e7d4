// Every call to the two HTTP APIs lives here. Queries go to the query side (this origin);
// commands go to the command side, whose URL the query side tells us.

const TOKEN_HEADER = 'X-Consistency-Token';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || `request failed (${status})`);
    this.status = status;
    this.details = body?.details || [];
  }

  fieldErrors() {
    return Object.fromEntries(this.details.map((d) => [d.field, d.message]));
  }
}

let commandUrlPromise;

function commandUrl() {
  commandUrlPromise ??= request('/api/config').then(({ body }) => body.commandUrl);
  return commandUrlPromise;
}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError(0, { error: 'the server cannot be reached' });
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return { body, token: response.headers.get(TOKEN_HEADER) };
}

function withToken(token) {
  return token ? { headers: { [TOKEN_HEADER]: token } } : {};
}

/** Lists books; with a consistency token, waits until the read model has applied that command. */
export async function listBooks({ q, sort, limit, offset }, token) {
  const params = new URLSearchParams({ sort, limit: String(limit), offset: String(offset) });
  if (q) params.set('q', q);
  const { body } = await request(`/api/books?${params}`, withToken(token));
  return body;
}

async function command(path, method, { book, version } = {}) {
  const headers = {};
  if (book) headers['Content-Type'] = 'application/json';
  if (version) headers['If-Match'] = `"${version}"`;
  const base = await commandUrl();
  return request(`${base}${path}`, {
    method,
    headers,
    body: book ? JSON.stringify(book) : undefined,
  });
}

export const createBook = (book) => command('/api/books', 'POST', { book });
export const updateBook = (bid, book, version) => command(`/api/books/${bid}`, 'PUT', { book, version });
export const deleteBook = (bid, version) => command(`/api/books/${bid}`, 'DELETE', { version });
