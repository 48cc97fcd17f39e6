// Runs graphql-http's GraphQL-over-HTTP server audits against a URL and
// prints one JSON line per audit: {id, name, status, reason, httpStatus, body}.
// Usage: node audit.mjs http://127.0.0.1:PORT/query
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(url)) {
  console.error("usage: node audit.mjs http://127.0.0.1:PORT/query (loopback only)");
  process.exit(2);
}

for (const audit of serverAudits({ url })) {
  const r = await audit.fn();
  const out = { id: audit.id, name: audit.name, status: r.status };
  if (r.status !== "ok") {
    out.reason = r.reason;
    if (r.response) {
      out.httpStatus = r.response.status;
      try {
        out.body = (await r.response.text()).slice(0, 300);
      } catch {
        // the audit may have read the body already
      }
    }
  }
  console.log(JSON.stringify(out));
}
