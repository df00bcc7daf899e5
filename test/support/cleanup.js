'use strict';
// Tearing down a test environment: every step runs, in order, even when an earlier one fails (each failure is
// printed, none is thrown), so one broken part does not leave browsers, DB clients or js-controllers behind.

/** @param {Array<() => unknown>} steps run in this order */
async function cleanUp(steps) {
    for (const step of steps) {
        try {
            await step();
        } catch (e) {
            console.warn(`      cleanup: ${e.message}`);
        }
    }
}

module.exports = { cleanUp };
