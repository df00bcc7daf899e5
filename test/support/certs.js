'use strict';
// Self-signed certificates for TLS tests, made with the openssl CLI (Debian: package openssl).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/**
 * A fresh self-signed certificate for `host` (an IP address or a DNS name), valid for two days, with the
 * matching subjectAltName so clients that verify the host name accept it when given the cert as CA.
 * Returns PEM strings: { key, cert }.
 */
function createSelfSignedCert(host = '127.0.0.1') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshtastic-cert-'));
    try {
        const keyFile = path.join(dir, 'key.pem');
        const certFile = path.join(dir, 'cert.pem');
        const san = net.isIP(host) ? `IP:${host}` : `DNS:${host}`;
        execFileSync(
            'openssl',
            [
                'req',
                '-x509',
                '-newkey',
                'ec',
                '-pkeyopt',
                'ec_paramgen_curve:prime256v1',
                '-nodes',
                '-keyout',
                keyFile,
                '-out',
                certFile,
                '-days',
                '2',
                '-subj',
                `/CN=${host}`,
                '-addext',
                `subjectAltName=${san}`,
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

module.exports = { createSelfSignedCert };
