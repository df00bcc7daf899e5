'use strict';
// Integration suite "broken configuration": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { expectConnackError } = require('../support/mqtt');
const { waitFor, readState, readLogs } = require('../support/harness');
const { BROKER_PORT, NS } = require('./context');

module.exports = function ({ suite }) {
    suite('broken configuration', getHarness => {
        it('logs a clear error naming each broken field and stays down', async function () {
            this.timeout(60000);
            const harness = getHarness();
            await harness.changeAdapterConfig('meshtastic', {
                native: {
                    mode: 'broker',
                    bind: '127.0.0.1',
                    port: 70000,
                    channels: [{ name: 'LongFast', psk: 'not base64 !!' }],
                },
            });
            await harness.startAdapterAndWait();
            const logs = await waitFor(async () => {
                const text = readLogs(harness);
                return text.includes('channels[1].psk') && text.includes('port') ? text : undefined;
            }, 20000);
            expect(logs).to.match(/error.*configuration/i);
            expect(logs).not.to.include('not base64 !!'); // never log secrets
            expect((await readState(harness, `${NS}.info.connection`))?.val).to.equal(false);
            // Nothing listens: the broker was not started half-configured.
            await expectConnackError(BROKER_PORT, {}, /ECONNREFUSED/);
        });
    });
};
