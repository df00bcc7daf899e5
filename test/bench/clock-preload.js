'use strict';
// Preloaded into the adapter process by the cadence phase (NODE_OPTIONS=--require …): mesh time, compressed. Date.now
// runs as usual until the bench writes $BENCH_CLOCK_FILE ({ originReal, scale }); from then on it returns
// originReal + (real now − originReal) × scale, so a node's packets minutes of mesh time apart arrive seconds apart.
// Date.now is replaced once at load, so references to it taken later (default parameters, callbacks) follow too.
// Timers (setTimeout/setInterval) keep real time: the presence tick and the stats interval stay as they are.
const fs = require('node:fs');

const file = process.env.BENCH_CLOCK_FILE;
const realNow = Date.now.bind(Date);
let originReal = 0;
let scale = 1;
Date.now = () => (scale === 1 ? realNow() : originReal + (realNow() - originReal) * scale);

if (file) {
    const poll = setInterval(() => {
        try {
            const clock = JSON.parse(fs.readFileSync(file, 'utf8'));
            if (Number.isFinite(clock.originReal) && Number.isFinite(clock.scale) && clock.scale >= 1) {
                originReal = clock.originReal;
                scale = clock.scale;
                clearInterval(poll);
            }
        } catch {
            // not written yet
        }
    }, 50);
    poll.unref();
}
