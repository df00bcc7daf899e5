import { expect } from 'chai';
import { EchoFilter } from './echo-filter';

describe('transport/echo-filter', () => {
    it('drops each own publication once, within 30 s, and nothing else', () => {
        let now = 1_000_000;
        const echo = new EchoFilter(() => now);
        const payload = Buffer.from([1, 2, 3]);
        expect(echo.isEcho('t', payload)).to.equal(false);
        echo.remember('t', payload);
        echo.remember('t', payload); // a resend: two echoes
        expect(echo.isEcho('t', Buffer.from([1, 2, 4]))).to.equal(false);
        expect(echo.isEcho('other', payload)).to.equal(false);
        expect(echo.isEcho('t', payload)).to.equal(true);
        expect(echo.isEcho('t', payload)).to.equal(true);
        expect(echo.isEcho('t', payload)).to.equal(false); // the same bytes from someone else
        echo.remember('t', payload);
        now += 30_000;
        expect(echo.isEcho('t', payload)).to.equal(false); // forgotten
    });

    it('keeps at most 500 publications, forgetting the oldest first', () => {
        const echo = new EchoFilter(() => 1);
        for (let i = 0; i < 501; i++) {
            echo.remember(`t/${i}`, Buffer.from([i & 0xff]));
        }
        expect(echo.isEcho('t/0', Buffer.from([0]))).to.equal(false);
        expect(echo.isEcho('t/1', Buffer.from([1]))).to.equal(true);
        expect(echo.isEcho('t/500', Buffer.from([500 & 0xff]))).to.equal(true);
    });
});
