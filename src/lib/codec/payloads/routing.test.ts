import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { hex } from '../vectors.test';
import { bin, decoded, Port } from './fixtures.test';
import { encodeRoutingAck } from './routing';

describe('codec/payloads/routing', () => {
    it('routing ack, nak, route request/reply and empty routing', () => {
        expect(hex(encodeRoutingAck())).to.equal('1800');
        expect(decoded(Port.ROUTING_APP, encodeRoutingAck())).to.deep.equal({
            type: 'routing',
            routing: { kind: 'ack', errorReason: 'NONE', errorCode: 0 },
        });
        expect(decoded(Port.ROUTING_APP, encodeRoutingAck(Mesh.Routing_Error.PKI_UNKNOWN_PUBKEY))).to.deep.equal({
            type: 'routing',
            routing: { kind: 'nak', errorReason: 'PKI_UNKNOWN_PUBKEY', errorCode: 35 },
        });
        const request = bin(Mesh.RoutingSchema, { variant: { case: 'routeRequest', value: { route: [1] } } });
        expect(decoded(Port.ROUTING_APP, request)).to.deep.equal({
            type: 'routing',
            routing: { kind: 'request', errorReason: 'NONE', errorCode: 0 },
        });
        const reply = bin(Mesh.RoutingSchema, { variant: { case: 'routeReply', value: {} } });
        expect(decoded(Port.ROUTING_APP, reply)).to.deep.include({
            routing: { kind: 'reply', errorReason: 'NONE', errorCode: 0 },
        });
        expect(decoded(Port.ROUTING_APP, new Uint8Array(0))).to.deep.equal({
            type: 'raw',
            portnum: Port.ROUTING_APP,
            bytes: new Uint8Array(0),
        });
        expect(decoded(Port.ROUTING_APP, encodeRoutingAck(250))).to.deep.include({
            routing: { kind: 'nak', errorReason: '250', errorCode: 250 },
        });
    });

    it('traceroute SNRs in dB with -128 as unknown', () => {
        const bytes = bin(Mesh.RouteDiscoverySchema, {
            route: [0xdeadbeef],
            snrTowards: [24, -128],
            routeBack: [5],
            snrBack: [-10],
        });
        expect(decoded(Port.TRACEROUTE_APP, bytes)).to.deep.equal({
            type: 'traceroute',
            traceroute: { route: [0xdeadbeef], snrTowards: [6, undefined], routeBack: [5], snrBack: [-2.5] },
        });
    });

    it('neighbor info', () => {
        const bytes = bin(Mesh.NeighborInfoSchema, {
            nodeId: 0xfa000001,
            lastSentById: 2,
            nodeBroadcastIntervalSecs: 900,
            neighbors: [{ nodeId: 0xfa000003, snr: -7.25 }],
        });
        expect(decoded(Port.NEIGHBORINFO_APP, bytes)).to.deep.equal({
            type: 'neighborinfo',
            neighborInfo: {
                nodeId: 0xfa000001,
                lastSentById: 2,
                broadcastIntervalSecs: 900,
                neighbors: [{ nodeId: 0xfa000003, snr: -7.25 }],
            },
        });
    });
});
