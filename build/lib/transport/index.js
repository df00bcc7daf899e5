"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ClientTransport = exports.BrokerTransport = void 0;
exports.createTransport = createTransport;
/**
 * MQTT transport: the embedded broker or a client of a remote broker, behind one interface.
 * Everything below (codec, mesh, states) only sees InboundMessage and never learns which mode runs.
 */
const broker_1 = require("./broker");
const client_1 = require("./client");
var broker_2 = require("./broker");
Object.defineProperty(exports, "BrokerTransport", { enumerable: true, get: function () { return broker_2.BrokerTransport; } });
var client_2 = require("./client");
Object.defineProperty(exports, "ClientTransport", { enumerable: true, get: function () { return client_2.ClientTransport; } });
function createTransport(options) {
    if (options.mode === 'broker') {
        const { mode: _mode, ...broker } = options;
        return new broker_1.BrokerTransport(broker);
    }
    const { mode: _mode, ...client } = options;
    return new client_1.ClientTransport(client);
}
