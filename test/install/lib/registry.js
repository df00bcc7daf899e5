'use strict';
// A minimal npm registry on 127.0.0.1 for the install test: it answers for iobroker.meshtastic itself (the packed
// tarballs, with the dist-tag `latest` the test moves) and proxies every other package's metadata to the upstream
// registry, so the adapter's dependencies resolve as for a user (and from npm's cache when warm). The same server
// serves the ioBroker repository JSON that js-controller and admin read.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const NAME = 'iobroker.meshtastic';

async function startRegistry({ upstream, ioPackage, tarballs }) {
    const base = upstream.endsWith('/') ? upstream : `${upstream}/`;
    const files = new Map();
    for (const t of tarballs) {
        const data = fs.readFileSync(t.file);
        const pkg = JSON.parse(
            require('node:child_process').execFileSync('tar', ['-xzOf', t.file, 'package/package.json'], {
                encoding: 'utf8',
            }),
        );
        files.set(t.version, {
            data,
            pkg,
            shasum: crypto.createHash('sha1').update(data).digest('hex'),
            integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
            name: path.basename(t.file),
        });
    }
    let listed;
    const downloads = [];
    const requests = [];
    let url = '';

    const packument = () => {
        const versions = {};
        for (const [v, f] of files) {
            versions[v] = {
                ...f.pkg,
                _id: `${NAME}@${v}`,
                dist: { tarball: `${url}${NAME}/-/${f.name}`, shasum: f.shasum, integrity: f.integrity },
            };
        }
        return { _id: NAME, name: NAME, 'dist-tags': { latest: listed }, versions };
    };

    // The repository format of ioBroker.repositories' sources-dist.json: one entry per adapter, and `_repoInfo`
    // (admin's update dialog reads `_repoInfo.stable` and fails without it). Not stable, like the "latest"
    // repository a new adapter enters first: admin offers `version` there.
    const repository = () => ({
        _repoInfo: { stable: false, name: { en: 'Local repository of the install test' } },
        meshtastic: {
            ...ioPackage.common,
            version: listed,
            meta: `${url}io-package.json`,
            icon: ioPackage.common.extIcon,
            type: ioPackage.common.type,
            published: new Date().toISOString(),
            versionDate: new Date().toISOString(),
        },
    });

    const send = (res, status, body, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
        res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };

    const server = http.createServer(async (req, res) => {
        const p = decodeURIComponent(req.url.split('?')[0]);
        requests.push(p);
        try {
            if (p === '/repo.json') {
                return send(res, 200, repository());
            }
            if (p === '/io-package.json') {
                return send(res, 200, { ...ioPackage, common: { ...ioPackage.common, version: listed } });
            }
            if (p === `/${NAME}`) {
                return send(res, 200, packument());
            }
            const tgz = p.startsWith(`/${NAME}/-/`) && [...files].find(([, f]) => p.endsWith(`/${f.name}`));
            if (tgz) {
                downloads.push(tgz[0]);
                return send(res, 200, tgz[1].data, 'application/octet-stream');
            }
            if (p.startsWith(`/${NAME}`) || p.endsWith('-hash.json')) {
                return send(res, 404, { error: 'not found' });
            }
            // Everything else: the upstream registry's answer (tarball URLs in it point upstream).
            const up = await fetch(new URL(req.url.replace(/^\//, ''), base), {
                headers: { accept: req.headers.accept || 'application/json' },
            });
            const body = Buffer.from(await up.arrayBuffer());
            res.writeHead(up.status, { 'content-type': up.headers.get('content-type') || 'application/json' });
            res.end(body);
        } catch (e) {
            send(res, 502, { error: String(e && e.message) });
        }
    });
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/`;
    return {
        url,
        downloads,
        requests,
        /** What the registry's `latest` and the repository offer from now on. */
        list(version) {
            if (!files.has(version)) {
                throw new Error(`no tarball for ${version}`);
            }
            listed = version;
        },
        close: () => new Promise(resolve => server.close(() => resolve())),
    };
}

module.exports = { startRegistry };
