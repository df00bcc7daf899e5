'use strict';
/*
 * The services @iobroker/repochecker asks, answered offline. The checker sends every request through one axios
 * instance (lib/common.js initAxios → axios.create()), so an axios adapter installed on axios.defaults answers all of
 * them; the checker's rules then run unchanged on the answers.
 *
 * What answers what:
 * - this repository (GitHub API, jsDelivr file list and files, raw.githubusercontent.com): the files git tracks in
 *   this working tree (`git ls-files --cached --others --exclude-standard`, so a clean checkout is exactly the
 *   committed tree) and the HEAD commit;
 * - the ioBroker repository lists and the two schemas: the snapshots in ./snapshots (sources in SOURCES.md);
 * - what only publishing creates (npm package, workflow runs, tags, releases, issues, GitHub "About" text and
 *   topics): the answer those services give for a repository that was just created and never published.
 * Any other URL is answered with a network error and recorded in `unanswered`, so a checker update that asks a new
 * service shows up in the test instead of silently passing.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const SNAPSHOTS = path.join(__dirname, 'snapshots');
const REPOSITORIES_RAW = 'https://raw.githubusercontent.com/ioBroker/ioBroker.repositories/master/';
const SCHEMAS = {
    'https://raw.githubusercontent.com/ioBroker/ioBroker.js-controller/master/schemas/io-package.json':
        'io-package.schema.json',
    'https://raw.githubusercontent.com/ioBroker/ioBroker.admin/master/packages/jsonConfig/schemas/jsonConfig.json':
        'jsonConfig.schema.json',
    [`${REPOSITORIES_RAW}sources-dist.json`]: 'sources-dist.json',
    [`${REPOSITORIES_RAW}sources-dist-stable.json`]: 'sources-dist-stable.json',
    // The download server's lists are built from the two lists above; the stable one already carries versions.
    'https://download.iobroker.net/sources-dist-latest.json': 'sources-dist-latest.json',
    'https://download.iobroker.net/sources-dist.json': 'sources-dist-stable.json',
};

/**
 * The tracked files of the working tree and the HEAD commit.
 *
 * @param {string} root repository root
 */
function readTree(root) {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const files = git('ls-files', '-z', '--cached', '--others', '--exclude-standard')
        .split('\0')
        .filter(f => f && fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).isFile());
    const [sha, date] = git('log', '-1', '--format=%H%n%aI').trim().split('\n');
    return { files: [...new Set(files)].sort(), sha, date };
}

/**
 * Builds the axios adapter.
 *
 * @param {object} opts options
 * @param {string} opts.root repository root
 * @param {string} opts.repository "owner/name" as in package.json's repository URL
 * @param {string} opts.branch default branch
 */
function createServices({ root, repository, branch }) {
    const tree = readTree(root);
    const fileSet = new Set(tree.files);
    const repoName = repository.split('/')[1];
    const api = `https://api.github.com/repos/${repository}`;
    const requested = [];
    const unanswered = [];

    const repoFile = rel => (fileSet.has(rel) ? fs.readFileSync(path.join(root, rel)) : undefined);
    const json = data => ({ status: 200, body: Buffer.from(JSON.stringify(data)) });
    const notFound = () => ({ status: 404, body: Buffer.from('{"message":"Not Found"}') });

    /** @param {URL} url */
    function answer(url) {
        const href = url.href;
        if (SCHEMAS[href]) {
            return { status: 200, body: fs.readFileSync(path.join(SNAPSHOTS, SCHEMAS[href])) };
        }
        if (href === api) {
            // A freshly created repository: About text and topics are set in GitHub's settings, not in the tree.
            return json({
                name: repoName,
                full_name: repository,
                html_url: `https://github.com/${repository}`,
                git_url: `git://github.com/${repository}.git`,
                ssh_url: `git@github.com:${repository}.git`,
                clone_url: `https://github.com/${repository}.git`,
                default_branch: branch,
                description: null,
                topics: [],
                archived: false,
            });
        }
        if (href === `${api}/commits/${branch}`) {
            return json({ sha: tree.sha, commit: { author: { date: tree.date } } });
        }
        if (href.startsWith(`${api}/git/trees/`)) {
            return json({ sha: tree.sha, tree: tree.files.map(p => ({ path: p, type: 'blob' })) });
        }
        if (href.startsWith(`${api}/actions/workflows/`) && url.pathname.endsWith('/runs')) {
            return json({ total_count: 0, workflow_runs: [] }); // no run before the repository is pushed
        }
        if (['/tags', '/releases', '/issues'].some(p => url.pathname === `/repos/${repository}${p}`)) {
            return json([]);
        }
        if (url.host === 'data.jsdelivr.com' && url.pathname === `/v1/packages/gh/${repository}@${tree.sha}`) {
            return json({
                type: 'gh',
                name: repository,
                version: tree.sha,
                files: tree.files.map(p => {
                    const data = repoFile(p);
                    const hash = crypto.createHash('sha256').update(data).digest('base64');
                    return { name: `/${p}`, hash, size: data.length };
                }),
            });
        }
        const cdnPrefix = `/gh/${repository}@${tree.sha}/`;
        if (url.host === 'cdn.jsdelivr.net' && url.pathname.startsWith(cdnPrefix)) {
            const data = repoFile(decodeURIComponent(url.pathname.slice(cdnPrefix.length)));
            return data ? { status: 200, body: data } : notFound();
        }
        const rawPrefix = `/${repository}/${branch}/`;
        if (
            url.host === 'raw.githubusercontent.com' &&
            url.pathname.toLowerCase().startsWith(rawPrefix.toLowerCase())
        ) {
            const data = repoFile(decodeURIComponent(url.pathname.slice(rawPrefix.length)));
            return data ? { status: 200, body: data } : notFound();
        }
        if (
            (url.host === 'registry.npmjs.org' || url.host === 'www.npmjs.com') &&
            decodeURIComponent(url.pathname).replace(/^\/(package\/)?/, '') ===
                `iobroker.${repoName.replace(/^iobroker\./i, '')}`
        ) {
            return notFound(); // not published yet
        }
        return undefined;
    }

    /** @param {import('axios').InternalAxiosRequestConfig} config */
    async function adapter(config) {
        const axios = require(require.resolve('axios', { paths: [require.resolve('@iobroker/repochecker')] }));
        const url = new URL(config.url, config.baseURL);
        requested.push(url.href);
        const result = answer(url);
        if (!result) {
            unanswered.push(url.href);
            throw new axios.AxiosError(`offline: no answer for ${url.href}`, 'ENOTFOUND', config);
        }
        let data;
        if (config.responseType === 'arraybuffer') {
            data = result.body;
        } else if (config.responseType === 'text') {
            data = result.body.toString('utf8');
        } else {
            // axios' default transformResponse parses JSON text
            data = result.body.toString('utf8');
        }
        const response = { data, status: result.status, statusText: String(result.status), headers: {}, config };
        if (result.status >= 400) {
            throw new axios.AxiosError(
                `Request failed with status code ${result.status}`,
                'ERR_BAD_REQUEST',
                config,
                null,
                response,
            );
        }
        return response;
    }

    return { adapter, requested, unanswered, tree };
}

module.exports = { createServices };
