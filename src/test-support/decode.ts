/** Decoding helpers of the codec tests. Not compiled into the build (tsconfig.build excludes src/test-support/**). */
import { expect } from 'chai';
import type { DecodeOutcome } from '../lib/codec/decoder';
import type { DecodedPacket } from '../lib/codec/types';

/** The packet of a successful decode; fails the test with the typed error otherwise. */
export function mustDecode(outcome: DecodeOutcome): DecodedPacket {
    if (!outcome.ok) {
        expect.fail(`expected a packet, got ${outcome.error.reason}: ${outcome.error.message}`);
    }
    return outcome.packet;
}
