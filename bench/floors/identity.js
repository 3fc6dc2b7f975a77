// Floor: the least any translating Worker can cost. The body is piped through an empty JS
// TransformStream, so every upstream chunk crosses into JavaScript and back once.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const upstream = await fetch(env.UPSTREAM_URL + url.pathname + url.search, { method: request.method, headers: request.headers, body: request.body });
    const body = upstream.body?.pipeThrough(new TransformStream({ transform: (chunk, controller) => controller.enqueue(chunk) }));
    return new Response(body ?? null, upstream);
  },
};
