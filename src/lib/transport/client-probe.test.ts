import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { probeTcp } from './client-probe';

function probe(port: number, timeouts = { connectMs: 1000, holdMs: 100 }): Promise<boolean> {
    return new Promise(resolve => probeTcp({ host: '127.0.0.1', port }, resolve, timeouts));
}

async function listening(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
    const server = createServer(onConnection);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as { port: number }).port };
}

describe('transport/client-probe', () => {
    const servers: Server[] = [];
    afterEach(async () => {
        await Promise.all(servers.splice(0).map(s => new Promise(resolve => s.close(resolve))));
    });

    it('finds a listener that keeps the connection reachable and closes its own socket', async () => {
        const sockets: Socket[] = [];
        const { server, port } = await listening(s => sockets.push(s));
        servers.push(server);
        expect(await probe(port)).to.equal(true);
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(sockets.every(s => s.destroyed || s.readableEnded)).to.equal(true);
    });

    it('finds nothing where the connection is refused, or closed at once (a broker shutting down)', async () => {
        const { server, port } = await listening(s => s.destroy());
        servers.push(server);
        expect(await probe(port)).to.equal(false);
        const closedPort = (await listening(() => undefined)).server;
        const freed = (closedPort.address() as { port: number }).port;
        await new Promise(resolve => closedPort.close(resolve));
        expect(await probe(freed)).to.equal(false);
    });

    it('never answers once cancelled', async () => {
        const { server, port } = await listening(() => undefined);
        servers.push(server);
        let answered = false;
        const cancel = probeTcp({ host: '127.0.0.1', port }, () => (answered = true), { connectMs: 1000, holdMs: 20 });
        cancel();
        await new Promise(resolve => setTimeout(resolve, 100));
        expect(answered).to.equal(false);
    });
});
