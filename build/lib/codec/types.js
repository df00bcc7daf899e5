"use strict";
/**
 * Public types of the codec: what bytes from MQTT turn into. Pure data, no ioBroker, no I/O.
 * Numbers that are uint32 on the wire (node numbers, packet ids) are always unsigned JS numbers.
 */
Object.defineProperty(exports, "__esModule", { value: true });
