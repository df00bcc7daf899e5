"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.messageObject = messageObject;
/** The message of a command as an object (`{}` when a script sent a string or nothing). */
function messageObject(raw) {
    return (typeof raw === 'object' && raw !== null ? raw : {});
}
