/** Value cleaning and display text shared by the table and the batches (pure). */
import type { NodeRecord, TextMessage } from '../../mesh/types';
import { finite } from '../../mesh/util';

/** Float32 fields arrive as e.g. 3.700000047683716; 7 significant digits is all a float32 holds. */
export function cleanFloat(value: number): number {
    return Number.isInteger(value) ? value : Number(value.toPrecision(7));
}

/** Coordinates are 1e-7 degree integers on the wire. */
export function cleanDegrees(value: number | undefined): number | undefined {
    return value === undefined ? undefined : Math.round(value * 1e7) / 1e7;
}

export function json(value: unknown): string {
    return JSON.stringify(value);
}

export function senderLabel(message: TextMessage): string {
    return message.fromName && message.fromName !== message.fromId
        ? `${message.fromName} (${message.fromId})`
        : message.fromId;
}

/** Display text from user data: no control characters, trimmed, bounded. */
export function displayText(text: string, max = 100): string {
    // eslint-disable-next-line no-control-regex
    const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    return Array.from(cleaned).slice(0, max).join('');
}

/** `<long name> (!hex)`, or `!hex` while no name is known. */
export function nodeDisplayName(node: Readonly<NodeRecord>): string {
    const id = `!${node.hex}`;
    const longName = node.user ? displayText(node.user.longName) : '';
    return longName ? `${longName} (${id})` : id;
}

/** A value worth a state: defined, and finite if a number. */
export function usable(value: ioBroker.StateValue | undefined): value is ioBroker.StateValue {
    return value !== undefined && (typeof value !== 'number' || finite(value) !== undefined);
}
