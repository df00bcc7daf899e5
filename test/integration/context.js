'use strict';
// What the integration parts share: ports on 127.0.0.1, the topic root, the instance, the broker-mode settings.
const { brokerConfig: brokerConfigOn } = require('../support/harness');

const BROKER_PORT = 21883;
const MOSQUITTO_PORT = 21884;
const ROOT = 'msh/EU_868';
const NS = 'meshtastic.0';

const brokerConfig = (extra = {}) => brokerConfigOn(BROKER_PORT, extra);

module.exports = { BROKER_PORT, MOSQUITTO_PORT, ROOT, NS, brokerConfig };
