import { describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import { IGNORED } from '../../compat/readiness.js';
import { readiness } from '../../src/index.js';
import { closedAfterEach } from '../helpers/kept.js';

const keep = closedAfterEach();

describe('IGNORED', () => {
  it('is never ready, counts as closed, and cannot be changed', () => {
    expect([IGNORED.readable, IGNORED.writable, IGNORED.closed]).toEqual([false, false, true]);
    expect(Object.isFrozen(IGNORED)).toBe(true);
    let told = 0;
    IGNORED.watch(() => told++);
    IGNORED.unwatch(() => told++);
    expect(told).toBe(0);
  });

  it('answers for a master, a closed object and a UDP object with no socket yet', () => {
    const master = keep(socket.tcp()[0]);
    const closed = keep(socket.tcp()[0]);
    closed.close();
    const fresh = keep(socket.udp()[0]);
    for (const o of [master, closed, fresh]) expect(o[readiness]).toBe(IGNORED);
  });

  it('lets select pass over such objects, as LuaSocket passes over a descriptor of -1', async () => {
    const master = keep(socket.tcp()[0]);
    const [r, w, err] = await socket.select([master], [master], 0);
    expect([...r, ...w]).toEqual([]);
    expect(err).toBe('timeout');
  });
});
