"use strict";
/** The part of ioBroker the writer talks to: a real adapter instance satisfies `StatesAdapter`. */
Object.defineProperty(exports, "__esModule", { value: true });
