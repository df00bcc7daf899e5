import { expect } from 'chai';
import { LinkedMap } from './linked-map';

describe('mesh: LinkedMap', () => {
    it('keeps insertion order, moves touched keys to the newest end and shifts the oldest', () => {
        const m = new LinkedMap<number, string>();
        m.set(1, 'a');
        m.set(2, 'b');
        m.set(3, 'c');
        m.set(1, 'A'); // replace keeps the position
        expect([...m.values()]).to.deep.equal(['A', 'b', 'c']);
        expect(m.touch(1)).to.equal(true);
        expect(m.touch(9)).to.equal(false);
        expect([...m.values()]).to.deep.equal(['b', 'c', 'A']);
        expect(m.oldest()).to.equal('b');
        expect(m.shift()).to.equal('b');
        expect(m.delete(1)).to.equal('A');
        expect(m.delete(1)).to.equal(undefined);
        expect([...m.values()]).to.deep.equal(['c']);
        expect(m.size).to.equal(1);
        m.clear();
        expect(m.shift()).to.equal(undefined);
        expect([...m.values()]).to.deep.equal([]);
    });

    it('allows removing the yielded value while iterating', () => {
        const m = new LinkedMap<number, number>();
        for (let i = 0; i < 10; i++) {
            m.set(i, i);
        }
        for (const v of m.values()) {
            if (v % 2 === 0) {
                m.delete(v);
            }
        }
        expect([...m.values()]).to.deep.equal([1, 3, 5, 7, 9]);
    });

    it('stays consistent under random operations (compared with a reference array)', () => {
        const m = new LinkedMap<number, number>();
        let ref: number[] = [];
        let seed = 12345;
        const rnd = (n: number): number => {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            return seed % n;
        };
        for (let i = 0; i < 5000; i++) {
            const k = rnd(50);
            switch (rnd(4)) {
                case 0:
                    m.set(k, k);
                    if (!ref.includes(k)) {
                        ref.push(k);
                    }
                    break;
                case 1:
                    m.touch(k);
                    if (ref.includes(k)) {
                        ref = [...ref.filter(x => x !== k), k];
                    }
                    break;
                case 2:
                    m.delete(k);
                    ref = ref.filter(x => x !== k);
                    break;
                default:
                    m.shift();
                    ref.shift();
            }
            expect(m.size).to.equal(ref.length);
        }
        expect([...m.values()]).to.deep.equal(ref);
    });
});
