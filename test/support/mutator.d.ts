// Types of mutator.js for the TypeScript tests (src/lib/codec/fuzz.test.ts uses the same mutator as the reliability suite).
export interface Prng {
    next(): number;
    int(n: number): number;
    bytes(n: number): Buffer;
}
export interface HostileMessage {
    topic: string;
    payload: Buffer;
}
export function prng(seed: number): Prng;
export function mutate(source: Uint8Array, r: Prng): Buffer;
export function randomChannelName(r: Prng): string;
export function randomGatewayId(r: Prng): string;
export function hostileMessage(
    vectors: { topic: string; payload: Uint8Array }[],
    r: Prng,
    root?: string,
): HostileMessage;
