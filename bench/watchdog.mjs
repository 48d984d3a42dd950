// Cost of the watchdog around each slice of user code (issue 13, part W): one enter/leave pair,
// against the same loop without a watchdog. Run after `npm run build`.
//   node bench/watchdog.mjs [pairs=5000000]
import { startWatchdog } from '../dist/sim/watchdog/index.js';

const PAIRS = Number(process.argv[2] ?? 5_000_000);
const watchdog = startWatchdog({ limitMs: 60_000 });
let depth = 0;
const none = { enter: () => void depth++, leave: () => void depth-- };

// One loop per target, so each call site stays monomorphic (a shared loop would measure V8's
// dispatch between the two, not the pair).
const loop = () =>
  new Function('target', 'pairs', `const start = process.hrtime.bigint();
    for (let i = 0; i < pairs; i++) { target.enter('handler'); target.leave(); }
    return Number(process.hrtime.bigint() - start) / pairs;`);

for (const [name, target] of [['watchdog', watchdog], ['no watchdog', none]]) {
  const perPair = loop();
  perPair(target, PAIRS); // warm-up
  const runs = [perPair(target, PAIRS), perPair(target, PAIRS), perPair(target, PAIRS)].sort((a, b) => a - b);
  console.log(`${name}: ${runs[1].toFixed(1)} ns per enter/leave pair (median of 3 x ${PAIRS})`);
}
watchdog.stop();
