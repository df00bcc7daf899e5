/**
 * MQTT transport: the embedded broker or a client of a remote broker, behind one interface.
 * Everything below (codec, mesh, states) only sees InboundMessage and never learns which mode runs.
 */
import { BrokerTransport, type BrokerOptions } from './broker';
import { ClientTransport, type ClientOptions } from './client';
import type { Transport } from './types';

export { BrokerTransport, type BrokerOptions, type BrokerStats, type BrokerTlsOptions } from './broker';
export { ClientTransport, type ClientOptions } from './client';
export type { InboundMessage, Timers, Transport, TransportLogger, TransportStatus } from './types';

export type TransportOptions = (BrokerOptions & { mode: 'broker' }) | (ClientOptions & { mode: 'client' });

export function createTransport(options: TransportOptions): Transport {
    if (options.mode === 'broker') {
        const { mode: _mode, ...broker } = options;
        return new BrokerTransport(broker);
    }
    const { mode: _mode, ...client } = options;
    return new ClientTransport(client);
}
