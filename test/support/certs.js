'use strict';
// A throwaway self-signed certificate for TLS tests, made with the openssl CLI (Debian package).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function createSelfSignedCert(host = '127.0.0.1') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshtastic-cert-'));
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    try {
        execFileSync(
            'openssl',
            ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
                '-subj', `/CN=${host}`, '-addext', `subjectAltName=IP:${host}`],
            { stdio: 'ignore' },
        );
        return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

module.exports = { createSelfSignedCert };
