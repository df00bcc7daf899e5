'use strict';
// End-to-end benchmark in a real js-controller (@iobroker/testing, as test/integration/index.js): the adapter runs as its
// own process in broker mode on 127.0.0.1:22883 and real MQTT.js gateway clients publish encrypted LongFast traffic
// (from their own process in the steady phase: test/support/gateway-process.js). The ceiling is a bare adapter without
// logic writing through the same adapter API (test/support/ceiling-adapter.js).
// Run through `npm run bench` (test/bench/bench.js), which starts this file with mocha and reads the lines it prints:
//   [bench] <text>            human-readable progress and figures
//   BENCH_RESULT <json>       one part of the results (merged by test/bench/bench.js)
// Alone: IOB_CONTROLLER_VERSION=7.1.1 npx mocha test/bench/e2e.js --exit --grep "bench:"
// The phases: ceiling.js, steady.js, send.js, flood.js, startup.js, cadence.js; settings.js, adapter-run.js, feed.js.
const path = require('node:path');
const { tests } = require('@iobroker/testing');
const { say, FLOOD_NODES, FLOOD_RATE, FLOOD_MAX_NODES, CADENCE_NODES } = require('./settings');
const { closeAll } = require('./feed');
const { measureCeiling } = require('./ceiling');
const { measureSteady } = require('./steady');
const { measureSend } = require('./send');
const { measureFlood } = require('./flood');
const { measureStartup } = require('./startup');
const { measureCadence } = require('./cadence');

process.on('unhandledRejection', e => say(`unhandled rejection in the bench process: ${e && e.stack ? e.stack : e}`));

tests.integration(path.join(__dirname, '..', '..'), {
    controllerVersion: process.env.IOB_CONTROLLER_VERSION || '7.1.1',
    allowedExitCodes: [11],
    loglevel: 'info', // production default: debug output of every packet is not part of the adapter's cost
    defineAdditionalTests({ suite }) {
        suite('bench: ceiling, steady state, send', getHarness => {
            /** What the phases of this suite hand on: traffic, gateways (see steady.js). */
            const run = {};
            after(async () => run.gateways?.close());

            it('ceiling: plain adapter setState of the same js-controller', async function () {
                this.timeout(180000);
                const harness = getHarness();
                await measureCeiling(harness);
            });

            it('steady state: 1,000 known nodes, realistic mix', async function () {
                this.timeout(300000);
                const harness = getHarness();
                await measureSteady(harness, run);
            });

            it('send path: texts through sendTo("send")', async function () {
                this.timeout(60000);
                const harness = getHarness();
                await measureSend(harness, run);
            });
        });

        suite('bench: flood and start-up', getHarness => {
            /** clients, devicesAfterFlood (see flood.js). */
            const run = { clients: [], devicesAfterFlood: 0 };
            after(async () => closeAll(run.clients));

            it(`flood: ${FLOOD_NODES} distinct nodes at ${FLOOD_RATE}/s with maxNodes ${FLOOD_MAX_NODES}`, async function () {
                this.timeout(180000);
                const harness = getHarness();
                await measureFlood(harness, run);
            });

            it('start-up with maxNodes nodes in the object DB', async function () {
                this.timeout(90000);
                const harness = getHarness();
                await measureStartup(harness, run);
            });
        });

        suite('bench: cadence of a real mesh', getHarness => {
            /** traffic, nodes, gateways, warm-up (see cadence.js). */
            const run = {};
            after(async () => run.gateways?.close());

            it(`cadence: ${CADENCE_NODES} nodes, every packet and the default write cadence`, async function () {
                this.timeout(420000);
                const harness = getHarness();
                await measureCadence(harness, run);
            });
        });
    },
});
