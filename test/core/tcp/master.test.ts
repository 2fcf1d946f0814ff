import { describe, expect, test } from 'vitest';
import { connect, SocketError, tcp, type TcpMaster } from '../../../src/index.js';
import { collect, hasIPv6, rawServer, socketError } from '../../helpers/loopback.js';

/** Runs `fn` with a master that is closed afterwards, whatever happens. */
async function withMaster(fn: (master: TcpMaster) => Promise<void>): Promise<void> {
  const master = tcp();
  try {
    await fn(master);
  } finally {
    master.close();
  }
}

describe('TcpMaster.bind', () => {
  test('bind() binds at once: getsockname() reports the port right after it', () =>
    withMaster(async (master) => {
      await master.bind('127.0.0.1', 0);
      const name = master.getsockname();
      expect(name).toMatchObject({ address: '127.0.0.1', family: 'inet' });
      expect(name.port).toBeGreaterThan(0);
    }));

  test("bind() to a busy address fails at bind with 'addrinuse', and the master can bind elsewhere", () =>
    withMaster(async (master) => {
      await using busy = await rawServer();
      const err = await socketError(master.bind('127.0.0.1', busy.port));
      expect(err.code).toBe('addrinuse');
      expect(err.message).toBe('address already in use');
      await master.bind('127.0.0.1', 0);
      expect(master.getsockname().port).toBeGreaterThan(0);
    }));

  test('bind() a second time fails with a SocketError', () =>
    withMaster(async (master) => {
      await master.bind('127.0.0.1', 0);
      expect(await socketError(master.bind('127.0.0.1', 0))).toBeInstanceOf(SocketError);
    }));

  test('bind() throws TypeError / RangeError synchronously for bad arguments', () =>
    withMaster(async (master) => {
      expect(() => master.bind(42 as unknown as string, 0)).toThrow(TypeError);
      expect(() => master.bind('127.0.0.1', 70000)).toThrow(RangeError);
      await Promise.resolve();
    }));

  test.skipIf(!hasIPv6)(
    "tcp({ family: 'inet6' }).bind('::1', 0) reports family 'inet6'",
    async () => {
      const master = tcp({ family: 'inet6' });
      try {
        await master.bind('::1', 0);
        expect(master.getsockname()).toMatchObject({ address: '::1', family: 'inet6' });
        await using server = await master.listen();
        await using client = await connect('::1', server.getsockname().port);
        await using conn = await server.accept({ timeout: 5 });
        expect(conn.getpeername()).toEqual(client.getsockname());
      } finally {
        master.close();
      }
    },
  );
});

describe('TcpMaster.listen', () => {
  test('listen() turns a bound master into a TcpServer on the bound port', async () => {
    const master = tcp();
    await master.bind('127.0.0.1', 0);
    const { port } = master.getsockname();
    await using server = await master.listen(16);
    expect(server.getsockname()).toEqual({ address: '127.0.0.1', port, family: 'inet' });
    await using client = await connect('127.0.0.1', port);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('through the master\n');
    expect(await conn.receive('*l')).toBe('through the master');
    master.close();
  });

  test("listen() on an unbound master listens on '*', port 0", async () => {
    const master = tcp();
    await using server = await master.listen();
    const { address, port } = server.getsockname();
    expect(address).toBe('0.0.0.0');
    expect(port).toBeGreaterThan(0);
    await using client = await connect('127.0.0.1', port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test('listen() hands the master timeouts and options to the server', async () => {
    const master = tcp();
    master.settimeout(0.05);
    master.setoption('keepalive', true);
    await master.bind('127.0.0.1', 0);
    await using server = await master.listen();
    expect(server.getoption('keepalive')).toBe(true);
    expect((await socketError(server.accept())).code).toBe('timeout');
  });
});

describe('TcpMaster.connect', () => {
  test('connect() turns the master into a connected TcpClient', async () => {
    await using raw = await rawServer();
    const master = tcp();
    const accepted = raw.accepted();
    await using client = await master.connect('127.0.0.1', raw.port);
    const peer = await accepted;
    expect(client.getpeername()).toEqual({ address: '127.0.0.1', port: raw.port, family: 'inet' });
    const got = collect(peer);
    await client.send('hello');
    client.shutdown('send');
    expect((await got).toString()).toBe('hello');
    peer.end('bye');
    expect(await client.receive('*a')).toBe('bye');
  });

  test('connect() from a bound master uses the bound local port', async () => {
    await using raw = await rawServer();
    const master = tcp();
    await master.bind('127.0.0.1', 0);
    const { port } = master.getsockname();
    const accepted = raw.accepted();
    await using client = await master.connect('127.0.0.1', raw.port);
    expect(client.getsockname()).toEqual({ address: '127.0.0.1', port, family: 'inet' });
    expect((await accepted).remotePort).toBe(port);
  });

  test('connect() hands the master timeouts and options to the client', async () => {
    await using raw = await rawServer();
    const master = tcp();
    master.settimeout(0.05);
    master.settimeout(10, 't');
    master.setoption('tcp-nodelay', true);
    await using client = await master.connect('127.0.0.1', raw.port);
    expect(client.gettimeout()).toEqual({ block: 0.05, total: 10 });
    expect(client.getoption('tcp-nodelay')).toBe(true);
    expect((await socketError(client.receive('*l'))).code).toBe('timeout');
  });

  test("connect() to a port nobody listens on fails with 'refused', and the master stays usable", async () => {
    const raw = await rawServer();
    const { port } = raw;
    await raw.close();
    const master = tcp();
    try {
      const err = await socketError(master.connect('127.0.0.1', port));
      expect(err.code).toBe('refused');
      await using again = await rawServer();
      await using client = await master.connect('127.0.0.1', again.port);
      expect(client.getpeername().port).toBe(again.port);
    } finally {
      master.close();
    }
  });
});

describe('TcpMaster states', () => {
  test('methods after listen() throw TypeError', async () => {
    const master = tcp();
    await using server = await master.listen();
    expect(server.closed).toBe(false);
    expect(() => master.bind('127.0.0.1', 0)).toThrow(TypeError);
    expect(() => master.listen()).toThrow(TypeError);
    expect(() => master.connect('127.0.0.1', 1)).toThrow(TypeError);
    expect(() => master.setoption('keepalive', true)).toThrow(TypeError);
    expect(() => master.getoption('keepalive')).toThrow(TypeError);
  });

  test('methods after connect() throw TypeError', async () => {
    await using raw = await rawServer();
    const master = tcp();
    await using client = await master.connect('127.0.0.1', raw.port);
    expect(client.closed).toBe(false);
    expect(() => master.bind('127.0.0.1', 0)).toThrow(TypeError);
    expect(() => master.listen()).toThrow(TypeError);
    expect(() => master.connect('127.0.0.1', raw.port)).toThrow(TypeError);
  });

  test("close() releases the bound address; the closed master answers 'closed'", async () => {
    const master = tcp();
    await master.bind('127.0.0.1', 0);
    const { port } = master.getsockname();
    master.close();
    master.close();
    expect(() => master.getsockname()).toThrow(SocketError);
    expect((await socketError(master.listen())).code).toBe('closed');
    expect((await socketError(master.connect('127.0.0.1', port))).code).toBe('closed');
    expect(() => master.setoption('keepalive', true)).toThrow(SocketError);
    // The port is free again.
    const other = tcp();
    try {
      await other.bind('127.0.0.1', port);
      expect(other.getsockname().port).toBe(port);
    } finally {
      other.close();
    }
  });
});
