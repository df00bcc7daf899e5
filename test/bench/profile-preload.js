'use strict';
// Preloaded into the adapter process by `BENCH_PROFILE=1 npm run bench` (NODE_OPTIONS=--require …; --cpu-prof is not
// allowed in NODE_OPTIONS). Samples the CPU from the start; every SIGUSR2 writes the profile since the previous one to
// $BENCH_PROFILE_DIR/adapter-<pid>-<n>.cpuprofile and starts the next (the bench signals after each phase).
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.BENCH_PROFILE_DIR || require('node:os').tmpdir();
const session = new inspector.Session();
session.connect();
let part = 0;

function start() {
    session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => {
            session.post('Profiler.start', () => {});
        });
    });
}

process.on('SIGUSR2', () => {
    session.post('Profiler.stop', (err, result) => {
        if (!err && result?.profile) {
            const file = path.join(dir, `adapter-${process.pid}-${++part}.cpuprofile`);
            try {
                fs.writeFileSync(file, JSON.stringify(result.profile));
            } catch {
                // profiling is best effort
            }
        }
        start();
    });
});

start();
