"use strict";
/**
 * Types shared by the send path. The layer is pure: time, timers and the transport are injected, so tests drive it
 * with fake timers and a fake publish function.
 */
Object.defineProperty(exports, "__esModule", { value: true });
