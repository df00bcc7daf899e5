'use strict';
// Feeding the adapter and watching it: the getStats monitor (gates the publisher on writer backlog, keeps maxima and
// a time series) and "publish, then wait until counted and written".
const { getStats, waitForStats, idle, sleep } = require('../support/bench-harness');
const { median } = require('../support/pipelined');
const { WRITER_MAX_IN_FLIGHT, BACKLOG_HIGH, BACKLOG_LOW, WINDOW, QOS } = require('./settings');
const { adapterGone, assertAlive } = require('./adapter-run');

/** Polls getStats in the background: pauses/resumes the publisher on writer backlog, keeps maxima. */
function startMonitor(harness, { gate, intervalMs = 100, onSample } = {}) {
    const m = {
        backlogMax: 0,
        backlogSum: 0,
        inFlightSum: 0,
        saturated: 0,
        rssMax: 0,
        heapMax: 0,
        samples: 0,
        /** (time, packets received, writes) of every sample, for rates per time window. */
        series: [],
        pauses: 0,
        stopped: false,
    };
    m.done = (async () => {
        while (!m.stopped && !adapterGone()) {
            try {
                const s = await getStats(harness, 5000);
                m.samples++;
                m.last = s;
                m.series.push({ t: Date.now(), received: s.stats.received, writes: s.writer.writes });
                m.backlogMax = Math.max(m.backlogMax, s.writer.backlog);
                m.backlogSum += s.writer.backlog;
                m.inFlightSum += s.writer.inFlight;
                m.saturated += s.writer.inFlight >= WRITER_MAX_IN_FLIGHT ? 1 : 0;
                m.rssMax = Math.max(m.rssMax, s.memory?.rssMB ?? 0);
                m.heapMax = Math.max(m.heapMax, s.memory?.heapUsedMB ?? 0);
                if (gate) {
                    if (!gate.paused && s.writer.backlog > BACKLOG_HIGH) {
                        gate.paused = true;
                        m.pauses++;
                    } else if (gate.paused && s.writer.backlog < BACKLOG_LOW) {
                        gate.paused = false;
                        gate.wake();
                    }
                }
                onSample?.(s);
            } catch {
                // a slow answer under load: try again
            }
            await sleep(intervalMs);
        }
        if (gate?.paused) {
            gate.paused = false;
            gate.wake();
        }
    })();
    m.stop = async () => {
        m.stopped = true;
        await m.done;
    };
    return m;
}

/** Publishes `packets` windowed (from the gateway process) and waits until the adapter counted them all and the writer is idle. */
async function publishAndDrain(harness, gateways, packets, { gate, limitMs, drainMs = 60000 }) {
    const before = await getStats(harness);
    const start = Date.now();
    const pub = await gateways.publishWindowed(packets, {
        window: WINDOW,
        qos: QOS,
        gate,
        deadline: start + limitMs,
        abort: adapterGone,
    });
    const publishSeconds = (Date.now() - start) / 1000;
    const drained = await waitForStats(
        harness,
        s => s.stats.received - before.stats.received >= pub.acked && idle(s),
        drainMs,
        50,
        adapterGone,
    );
    assertAlive('publishing');
    const seconds = (Date.now() - start) / 1000;
    return { before, after: drained.stats, drained: drained.ok, pub, start, publishSeconds, seconds };
}

function delta(after, before, pick) {
    return after && before ? pick(after) - pick(before) : null;
}

async function closeAll(clients) {
    await Promise.all((clients || []).map(c => c.endAsync(true).catch(() => {})));
}

/** Median of plain numbers. */
const medianOf = values => median(values.map(perSecond => ({ perSecond }))).perSecond;

module.exports = { startMonitor, publishAndDrain, delta, closeAll, medianOf };
