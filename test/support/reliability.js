'use strict';
// Helpers of the reliability suite: free ports, the adapter's RSS, the adapter's log lines grouped by kind.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** Resident set size of the adapter process in MB (Linux /proc), or NaN when it is not running. */
function adapterRssMB(harness) {
    const pid = harness.adapterProcess && harness.adapterProcess.pid;
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
        return kb / 1024;
    } catch {
        return Number.NaN;
    }
}

/** Samples the adapter's RSS every `everyMs` until stop() is called; stop() returns { first, peak, last } in MB. */
function sampleRss(harness, everyMs = 500) {
    const samples = [adapterRssMB(harness)];
    const timer = setInterval(() => samples.push(adapterRssMB(harness)), everyMs);
    return {
        stop() {
            clearInterval(timer);
            samples.push(adapterRssMB(harness));
            const valid = samples.filter(Number.isFinite);
            return { first: valid[0], peak: Math.max(...valid), last: valid[valid.length - 1] };
        },
    };
}

// 2026-12-07 13:27:40.128  - <esc>[33mwarn<esc>[39m: meshtastic.0 (8513) text
const LINE = /^\S+ \S+\s+-\s+(?:\x1b\[\d+m)?(\w+)(?:\x1b\[\d+m)?: meshtastic\.0 \(\d+\) (.*)$/;

/** The instance's log text, each file once (iobroker.current.log is a link to the dated file). */
function logText(harness) {
    const dir = path.join(harness.testDir, 'log');
    if (!fs.existsSync(dir)) {
        return '';
    }
    return fs
        .readdirSync(dir)
        .map(f => path.join(dir, f))
        .filter(f => f.endsWith('.log') && !fs.lstatSync(f).isSymbolicLink())
        .sort()
        .map(f => fs.readFileSync(f, 'utf8'))
        .join('');
}

/** The adapter's log lines (level, text) in the instance's log files, oldest first. */
function adapterLogLines(harness) {
    const lines = [];
    for (const raw of logText(harness).split('\n')) {
        const m = LINE.exec(raw);
        if (m) {
            lines.push({ level: m[1], text: m[2] });
        }
    }
    return lines;
}

/**
 * A line's kind: its text without quoted parts and numbers, first six words. Lines that differ only in what a
 * client chose (gateway ids, channel names, topics, counts) have the same kind.
 */
function kindOf(text) {
    return text
        .replace(/"[^"]*"/g, '""')
        .replace(/![0-9a-f]{8}/g, '!id')
        .replace(/\d+/g, '#')
        .split(/\s+/)
        .slice(0, 6)
        .join(' ');
}

/** Lines at info level or above, counted per kind. */
function linesPerKind(lines) {
    const kinds = new Map();
    for (const line of lines) {
        if (line.level === 'debug' || line.level === 'silly') {
            continue;
        }
        const kind = `${line.level}: ${kindOf(line.text)}`;
        kinds.set(kind, (kinds.get(kind) || 0) + 1);
    }
    return kinds;
}

/** `n` evenly spread percentiles etc. of a list of numbers, for printing. */
function summary(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const at = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { n: sorted.length, min: sorted[0], median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] };
}

module.exports = { logText, freePort, adapterRssMB, sampleRss, adapterLogLines, kindOf, linesPerKind, summary };
