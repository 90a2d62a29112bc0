import { resolveSource, sniffText } from './electron/services/datasets/source.js';
import { profileSource } from './electron/services/datasets/profile.js';
for (const p of process.argv.slice(2)) {
  const t0 = Date.now();
  const s = await resolveSource(p);
  const { encoding } = await sniffText(s.files[0]!, s.compression);
  const r = await profileSource(s, { encoding });
  console.log(p, Date.now() - t0, 'ms', JSON.stringify(r).slice(0, 1500));
}
