"use strict";
/** The writer's options and counters, and their defaults. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MAX_IN_FLIGHT = void 0;
/**
 * Default bound of DB calls in flight. Every `setState` is four sequential DB round trips in js-controller 7 (object
 * read, state GET, SET, PUBLISH): at 64 the adapter still waited on the DB a fifth of the time; 128 measured 10–15 %
 * more writes a second in the bench (alternating runs, js-controller 7.1.1), 256 no better than 128.
 */
exports.DEFAULT_MAX_IN_FLIGHT = 128;
