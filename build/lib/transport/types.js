"use strict";
/**
 * The transport contract shared by the embedded broker and the MQTT client. Nothing here knows ioBroker:
 * the adapter injects its logger and its timer functions, so the layer runs (and is tested) on its own.
 */
Object.defineProperty(exports, "__esModule", { value: true });
