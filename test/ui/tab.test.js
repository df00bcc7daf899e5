'use strict';
// The admin tab in a real browser against a real ioBroker: `npm run demo` (tools/demo/) starts js-controller, admin and this
// adapter (npm-packed from the repo) in broker mode and replays the shared real captures into the adapter's MQTT
// broker; headless Chromium (Debian package, puppeteer-core) opens the tab as admin serves it. What the tab shows is
// checked against what ioBroker holds (objects/states DB, read with js-controller's own clients) and what goes over
// MQTT (decrypted independently). The 10,000-node part runs last: the adapter then creates many objects.
//
// Env: UI_SCREENSHOTS=1 copies the screenshots (always written to <tmp>/meshtastic-ui-screenshots/) to
// docs/screenshots/; UI_VERBOSE=1 echoes the demo's output; UI_CHROMIUM=<path> another Chromium binary;
// UI_SKIP_SCALE=1 leaves out the 10,000-node part.
// The tests: test/ui/tab/ (node list, map and chat, scale); their helpers: test/ui/lib/tab.js.
const { launch } = require('./lib/browser');
const { Demo } = require('./lib/demo');
const { Listener } = require('./lib/mesh');
const { SCALE_NODES, SHOTS_TMP, SHOTS_REPO, timings, note } = require('./lib/tab');
const { cleanUp } = require('../support/cleanup');
const nodeListTests = require('./tab/node-list');
const mapAndChatTests = require('./tab/map-chat');
const scaleTests = require('./tab/scale');

describe('admin tab in a real browser (js-controller + admin + adapter, Chromium)', function () {
    // A cold first run installs js-controller and admin from npm (~90 s); a warm one starts in ~25 s.
    this.timeout(30_000);
    this.slow(10_000);

    /** What the parts share; `page` is the tab the tests of the captures open and use. */
    const ui = {
        demo: undefined,
        dbs: undefined,
        listener: undefined,
        chromium: undefined,
        page: undefined,
        devices: undefined,
    };
    const suiteStarted = Date.now();

    before(async function () {
        this.timeout(400_000);
        ui.chromium = await launch();
        ui.demo = new Demo({ maxNodes: SCALE_NODES, intervalMs: 4000 });
        const t = Date.now();
        await ui.demo.start();
        note('demo start-up (pack, install if needed, js-controller, admin, adapter, replay)', Date.now() - t);
        ui.dbs = await ui.demo.connectDbs();
        ui.listener = await new Listener(ui.demo.opts.mqttPort).connect();
    });

    after(async function () {
        this.timeout(120_000);
        await cleanUp([
            () => ui.page && ui.page.close(),
            () => ui.chromium && ui.chromium.close(),
            () => ui.listener && ui.listener.close(),
            () => ui.dbs && ui.dbs.close(),
            () => ui.demo && ui.demo.stop(),
        ]);
        note('whole UI suite', Date.now() - suiteStarted);
        console.log(`      timings: ${JSON.stringify(timings)}`);
        console.log(
            `      screenshots: ${SHOTS_TMP}${process.env.UI_SCREENSHOTS === '1' ? ` (copied to ${SHOTS_REPO})` : ''}`,
        );
    });

    describe('the mesh of the shared captures', function () {
        nodeListTests(ui);
        mapAndChatTests(ui);
    });

    scaleTests(ui);
});
