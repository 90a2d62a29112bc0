// Writes a deterministic CSV of about TARGET bytes: integers, floats with nulls, categories,
// dates, booleans and free text. Usage: node generate-csv.mjs OUT [MEGABYTES]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [out, mb = '1024'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node generate-csv.mjs OUT [MEGABYTES]');
  process.exit(2);
}
const target = Number(mb) * 1024 * 1024;
// A small linear congruential generator: the same file on every machine.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const categories = ['north', 'south', 'east', 'west', 'central', 'online', 'partner', 'retail'];
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const day0 = Date.UTC(2020, 0, 1);

const stream = createWriteStream(out, { highWaterMark: 1 << 22 });
stream.write('id,amount,tenure_months,segment,signup_date,active,score,note\n');
let written = 0;
let id = 0;
while (written < target) {
  const lines = [];
  for (let i = 0; i < 10_000; i++) {
    id++;
    const amount = rand() < 0.03 ? '' : (rand() * 1000 - 100).toFixed(2);
    const tenure = Math.floor(rand() * 120);
    const segment = categories[Math.floor(rand() * rand() * categories.length)];
    const date = new Date(day0 + Math.floor(rand() * 1500) * 86_400_000).toISOString().slice(0, 10);
    const active = rand() < 0.7 ? 'true' : 'false';
    const score = (rand() + rand() + rand()).toFixed(4);
    const note = rand() < 0.1 ? '' : `"${words[Math.floor(rand() * 10)]}, ${words[Math.floor(rand() * 10)]}"`;
    lines.push(`${id},${amount},${tenure},${segment},${date},${active},${score},${note}`);
  }
  const chunk = lines.join('\n') + '\n';
  written += Buffer.byteLength(chunk);
  if (!stream.write(chunk)) await once(stream, 'drain');
}
stream.end();
await once(stream, 'finish');
console.log(JSON.stringify({ path: out, bytes: written, rows: id }));
