'use strict';
// Reliability probes as tests (issue #21): the real adapter in a real js-controller (@iobroker/testing), hostile
// input, connection load, wrong logins, a flapping Mosquitto, secrets at rest. Each test asserts and prints its
// figure. Counts grow with RELIABILITY_SCALE or the named variables (README, Reliability).
const path = require('node:path');
const { tests } = require('@iobroker/testing');
const { freePort } = require('../support/reliability');
const floodSuite = require('./suites/flood');
const connectionsSuite = require('./suites/connections');
const flappingSuite = require('./suites/flapping');
const secretsSuite = require('./suites/secrets');

const ctx = {
    brokerPort: 0,
    brokerConfig: (extra = {}) => ({
        native: {
            mode: 'broker',
            bind: '127.0.0.1',
            port: ctx.brokerPort,
            rootTopic: 'msh/EU_868',
            channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
            sendSpacingMs: 0,
            ...extra,
        },
    }),
};

const only = process.env.RELIABILITY_ONLY; // e.g. "flood" while developing one suite

tests.integration(path.join(__dirname, '..', '..'), {
    controllerVersion: process.env.IOB_CONTROLLER_VERSION || undefined,
    allowedExitCodes: [11],
    // Debug lines of 100,000 bad packets would flood the test output; the secrets suite turns debug on for itself.
    loglevel: 'info',
    defineAdditionalTests({ suite }) {
        const add = (key, name, body) => {
            if (only && !only.split(',').includes(key)) {
                return;
            }
            suite(name, getHarness => {
                before(async () => {
                    ctx.brokerPort = await freePort();
                });
                body(getHarness, ctx);
            });
        };
        add('flood', 'reliability: broker mode under hostile input', floodSuite);
        add('connections', 'reliability: connection load and wrong credentials', connectionsSuite);
        add('flapping', 'reliability: client mode against a Mosquitto killed and restarted', flappingSuite);
        add('secrets', 'reliability: no secret in plain text in logs, DB files or states', secretsSuite);
    },
});
