'use strict';
// Integration tests in a real js-controller (@iobroker/testing): the adapter runs as its own process, real MQTT
// clients publish the shared real captures, a real Mosquitto (Debian package) serves client mode. One harness run;
// each suite is its own file here.
const path = require('node:path');
const { tests } = require('@iobroker/testing');
const { BROKER_PORT } = require('./context');

const PARTS = ['./config', './identity', './secrets', './receive', './send', './auth-tls', './client'];

tests.integration(path.join(__dirname, '..', '..'), {
    // 7.2.2/dev are not in every registry: .ci/run pins 7.1.1; elsewhere the harness default is kept.
    controllerVersion: process.env.IOB_CONTROLLER_VERSION || undefined,
    allowedExitCodes: [11],
    defineAdditionalTests({ suite }) {
        for (const part of PARTS) {
            require(part)({ suite });
        }
        require('./packets')({ suite, port: BROKER_PORT });
    },
});
