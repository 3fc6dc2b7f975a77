// Floor: the runtime's own cost. Forwards the request and returns the upstream response
// untouched, so no JavaScript sits in the body's path.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM_URL + url.pathname + url.search, { method: request.method, headers: request.headers, body: request.body });
  },
};
