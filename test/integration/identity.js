'use strict';
// Integration suite "virtual node identity": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { decryptNative, systemSecret, sleep, waitFor, readLogs, sendTo } = require('../support/harness');
const { NS, brokerConfig } = require('./context');

module.exports = function ({ suite }) {
    suite('virtual node identity', getHarness => {
        it('is created on the first start without a restart, and the second start has the same one', async function () {
            this.timeout(90000);
            const harness = getHarness();
            await harness.changeAdapterConfig('meshtastic', brokerConfig());
            const logStart = readLogs(harness).length;
            await harness.startAdapterAndWait();
            const own = async () =>
                waitFor(async () => (await sendTo(harness, 'tabPoll', { since: 0, epoch: 0 })).own, 20000, 'own node');
            const first = await own();
            expect(first.id).to.match(/^![0-9a-f]{8}$/);
            const stored = await harness.objects.getObjectAsync(`${NS}.identity`);
            expect(stored.native.nodeId).to.equal(first.id);
            const privateKey = decryptNative(await systemSecret(harness), stored.native.privateKey);
            expect(Buffer.from(privateKey, 'base64')).to.have.length(32);
            expect(stored.native.privateKey).not.to.include(privateKey);
            // The instance object is not written (that would make js-controller restart the instance).
            const instance = await harness.objects.getObjectAsync(`system.adapter.${NS}`);
            expect(instance.native.nodeId || '').to.equal('');
            expect(instance.native.privateKey || '').to.equal('');
            // Still running a while later, never terminated; the key is in no log line.
            await sleep(5000);
            expect(harness.isAdapterRunning()).to.equal(true);
            expect(harness.didAdapterStop()).to.equal(false);
            const firstRun = readLogs(harness).slice(logStart);
            expect(firstRun).to.include(`Virtual node ${first.id} created`);
            expect(firstRun).not.to.match(/terminat/i);
            expect(firstRun).not.to.include(privateKey);

            await harness.stopAdapter();
            // The harness allows one adapter run per suite (it refuses a start once the process has exited); a
            // second start on the same DB is the point here, so forget the first run's exit.
            harness._adapterExit = undefined;
            // As js-controller's host does when an instance exits (else the new process sees itself "already running").
            await harness.states.setStateAsync(`system.adapter.${NS}.alive`, { val: false, ack: true });
            const secondStart = readLogs(harness).length;
            await harness.startAdapterAndWait();
            const second = await own();
            expect(second.id).to.equal(first.id);
            const again = await harness.objects.getObjectAsync(`${NS}.identity`);
            expect(again.native, 'the stored identity, not rewritten').to.deep.equal(stored.native);
            expect(readLogs(harness).slice(secondStart)).not.to.include('created');
        });
    });
};
