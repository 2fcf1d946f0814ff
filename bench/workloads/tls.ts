/**
 * tls: the transfers of bulk and lines, and handshakes, over TLS on
 * loopback. Certificates are made for the run (P-256, by
 * test/helpers/make-certs.ts with the openssl CLI) and deleted after it;
 * every client verifies the server against their CA as localhost. The
 * peers are node:tls, each in its own process (bench/peers/peer.mjs
 * tls-stream|tls-accept|tls-cycles). A contender that reads a wrong count,
 * or a handshake that does not verify, throws.
 *   receive(65536)     the peer sends 1 GiB (quick: 256 MiB) from the handshake; MB/s,
 *                      timed from connect (handshake included) to the last byte
 *   '*a'               256 MiB (quick: 64 MiB), read whole
 *   LF lines           2 million (quick: 400,000) 40-byte lines; lines/s, timed the same way
 *   client handshakes  1,000 (quick: 300) sequential connect, handshake, read to the
 *                      server's end (it ends each connection at once), close; handshakes/s
 *   server handshakes  the same cycles, from a client process, at a measured server in
 *                      this process that closes each connection it accepts
 * Contenders (tls-contenders.ts):
 *   raw     tls.connect, 'data' counted / concatenated / split with indexOf as lines.ts's
 *           raw; the server: tls.createServer, s.end()
 *   core    connect('127.0.0.1', port, { tls: { ca, servername: 'localhost' } }), default
 *           options (text, 'utf8'), plus [buffer] rows: a receive(65536) loop, one
 *           receive('*a'), a receive('*l') loop, `for await … of c.lines()`, and (for
 *           reading, tuned) `c.receiveBuffered('*l') ?? await c.receive('*l')`; the server:
 *           bind({ tls: { cert, key } }), `for await … of server`, c.close()
 *   LuaSec  bench/lua/tls.lua: LuaSec 1.x's ssl.wrap + dohandshake on lua5.4, then the same
 *           receive loops, timed from connect
 */
import { makeCerts, opensslWorks } from '../../test/helpers/make-certs.js';
import { connect } from '../../src/index.js';
import { alternate, haveLuaSec, peer, type Context, type Target, type Workload } from '../lib.js';
import { coreAll, coreReceive } from './bulk-receive.js';
import { iterateLines, LINE, receiveLines, splitLines, type Count } from './lines.js';
import {
  bufferedLines,
  coreHandshakes,
  coreServer,
  coreTls,
  luaSec,
  rawAll,
  rawHandshakes,
  rawReceive,
  rawServer,
  rawTls,
  type Server,
  type Trust,
} from './tls-contenders.js';

type Contenders = Record<string, () => Promise<number>>;

const core09: Target[] = [{ vs: 'raw', limit: 0.9, text: '>= 0.9x raw' }];

/** A rate from a count that must be `expected`, and the seconds it took. */
function rate(who: string, got: number, expected: number, seconds: number, unit = 1): number {
  if (got !== expected) throw new Error(`${who}: ${got}, expected ${expected}`);
  return expected / unit / seconds;
}

/** Times `fn`, checks what it answers, and gives the rate. */
function timed(
  who: string,
  expected: number,
  fn: () => Promise<number>,
  unit = 1,
): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    const got = await fn();
    return rate(who, got, expected, (performance.now() - t0) / 1000, unit);
  };
}

/** Alternates the contenders of one case and adds its rows. */
async function measure(
  ctx: Context,
  name: string,
  unit: string,
  contenders: Contenders,
  targets: Record<string, Target[]>,
  lua: boolean,
): Promise<void> {
  const results = await alternate(ctx.rounds, contenders);
  for (const [contender, values] of Object.entries(results)) {
    const target = targets[contender];
    ctx.rows.push({
      workload: 'tls',
      case: name,
      contender,
      unit,
      higher: true,
      values,
      raw: 'raw',
      ...(lua && { lua: 'LuaSec' }),
      ...(target !== undefined && { targets: target }),
    });
  }
}

/** A peer.mjs server mode; resolves to its port and its close. */
async function serve(...args: (string | number)[]): Promise<[number, () => Promise<void>]> {
  const child = peer(...args);
  const port = Number((await child.ask())[1]);
  return [port, () => child.close()];
}

/** The server side: `n` cycles from a tls-cycles peer at a fresh server of `make`. */
async function serverCycles(
  make: () => Promise<Server>,
  trust: Trust,
  n: number,
  who: string,
): Promise<number> {
  const server = await make();
  const client = peer('tls-cycles', server.port, n, trust.caFile);
  const [, ms] = await client.ask();
  await client.close();
  await server.close();
  return rate(who, server.accepted(), n, Number(ms) / 1000);
}

export const tls: Workload = {
  name: 'tls',
  async run(ctx: Context): Promise<void> {
    if (!opensslWorks()) {
      ctx.note('tls: SKIPPED: the openssl CLI, which makes its certificates, is not installed');
      return;
    }
    const withLua = haveLuaSec();
    if (!withLua) ctx.note('tls: LuaSec contenders SKIPPED: lua5.4 with LuaSec is not installed');
    const MiB = 1024 * 1024;
    const big = ctx.quick ? 256 * MiB : 1024 * MiB;
    const all = ctx.quick ? 64 * MiB : 256 * MiB;
    const count = ctx.quick ? 400_000 : 2_000_000;
    const n = ctx.quick ? 300 : 1_000;
    const made = makeCerts();
    try {
      const { certs } = made;
      const trust: Trust = { ca: certs.ca, caFile: certs.caFile };
      const pem = [certs.server.certFile, certs.server.keyFile];
      const buffer = { ...coreTls(trust), encoding: 'buffer' } as const;

      const [hsPort, hsDone] = await serve('tls-accept', ...pem);
      const probe = await connect('127.0.0.1', hsPort, coreTls(trust));
      ctx.note(
        `tls: ${probe.getprotocol()} ${probe.getcipher()?.name}; receive ${big / MiB} MiB, ` +
          `'*a' of ${all / MiB} MiB, ${count} lines of ${LINE} bytes, ${n} handshakes per run`,
      );
      probe.close();

      const [bulkPort, bulkDone] = await serve('tls-stream', 'bulk', big, ...pem);
      const mb = 1e6;
      await measure(
        ctx,
        'receive(65536)',
        'MB/s',
        {
          raw: timed('raw', big, () => rawReceive(bulkPort, trust), mb),
          'core receive(65536)': timed(
            'core',
            big,
            () => coreReceive(connect('127.0.0.1', bulkPort, coreTls(trust))),
            mb,
          ),
          'core receive(65536) [buffer]': timed(
            'core [buffer]',
            big,
            () => coreReceive(connect('127.0.0.1', bulkPort, buffer)),
            mb,
          ),
          ...(withLua && {
            LuaSec: async () => {
              const [bytes, s] = await luaSec('recv', bulkPort, trust);
              return rate('LuaSec', bytes as number, big, s as number, mb);
            },
          }),
        },
        { 'core receive(65536)': core09 },
        withLua,
      );
      await bulkDone();

      const [allPort, allDone] = await serve('tls-stream', 'bulk', all, ...pem);
      await measure(
        ctx,
        "'*a'",
        'MB/s',
        {
          raw: timed('raw', all, () => rawAll(allPort, trust), mb),
          "core receive('*a')": timed(
            'core',
            all,
            () => coreAll(connect('127.0.0.1', allPort, coreTls(trust))),
            mb,
          ),
          "core receive('*a') [buffer]": timed(
            'core [buffer]',
            all,
            () => coreAll(connect('127.0.0.1', allPort, buffer)),
            mb,
          ),
          ...(withLua && {
            LuaSec: async () => {
              const [bytes, s] = await luaSec('all', allPort, trust);
              return rate('LuaSec', bytes as number, all, s as number, mb);
            },
          }),
        },
        {},
        withLua,
      );
      await allDone();

      const [linesPort, linesDone] = await serve('tls-stream', 'lf', count * LINE, ...pem);
      const chars = count * (LINE - 1);
      // The lines, once their characters are checked too.
      const both = ([lines, total]: Count): number => {
        if (total !== chars) throw new Error(`${lines} lines of ${total} chars, expected ${chars}`);
        return lines;
      };
      await measure(
        ctx,
        'LF lines',
        'lines/s',
        {
          raw: timed('raw', count, async () =>
            both(await splitLines(await rawTls(linesPort, trust))),
          ),
          "core receive('*l')": timed('core', count, async () =>
            both(await receiveLines(await connect('127.0.0.1', linesPort, coreTls(trust)))),
          ),
          'core lines()': timed('core lines()', count, async () =>
            both(await iterateLines(await connect('127.0.0.1', linesPort, coreTls(trust)))),
          ),
          "core receiveBuffered('*l')": timed('core receiveBuffered', count, async () =>
            both(await bufferedLines(await connect('127.0.0.1', linesPort, coreTls(trust)))),
          ),
          ...(withLua && {
            LuaSec: async () => {
              const [lines, s, total] = await luaSec('lines', linesPort, trust);
              return rate('LuaSec', both([lines as number, total as number]), count, s as number);
            },
          }),
        },
        { "core receive('*l')": core09, 'core lines()': core09 },
        withLua,
      );
      await linesDone();

      await measure(
        ctx,
        'client handshakes',
        'handshakes/s',
        {
          raw: timed('raw', n, () => rawHandshakes(hsPort, trust, n)),
          core: timed('core', n, () => coreHandshakes(hsPort, trust, n)),
          ...(withLua && {
            LuaSec: async () => {
              const [done, s] = await luaSec('handshakes', hsPort, trust, n);
              return rate('LuaSec', done as number, n, s as number);
            },
          }),
        },
        { core: core09 },
        withLua,
      );
      await hsDone();

      const { cert, key } = certs.server;
      await measure(
        ctx,
        'server handshakes',
        'handshakes/s',
        {
          raw: () => serverCycles(() => rawServer(cert, key), trust, n, 'raw server'),
          core: () => serverCycles(() => coreServer(cert, key), trust, n, 'core server'),
        },
        { core: core09 },
        false,
      );
    } finally {
      made.remove();
    }
  },
};
