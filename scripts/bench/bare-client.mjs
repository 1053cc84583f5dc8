// The bare loop's client (scripts/bench/send.ts): pre-built request bodies posted back to back, one at a
// time, as the sender's transport posts them, each under a new idempotency key.
// Usage: node bare-client.mjs <file of bodies, one a line> <server URL> <API key> <requests>
// Prints the milliseconds the requests took.
import { readFileSync } from 'node:fs';

const [file, url, key, requests] = process.argv.slice(2);
const bodies = readFileSync(file, 'utf8').split('\n');
const started = performance.now();
for (let index = 0; index < Number(requests); index++) {
  const response = await fetch(`${url}/emails/batch`, {
    method: 'POST',
    body: bodies[index % bodies.length],
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': `bare-${index}`,
    },
    redirect: 'error',
  });
  await response.arrayBuffer();
}
console.log(performance.now() - started);
