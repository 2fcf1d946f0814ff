// Benchmark peers, each in its own process so that their work never shares
// the measured event loop. One mode per run; the first stdout line answers.
//
//   stream lf|crlf|bulk <bytes>  server: every connection gets <bytes>, then FIN -> "PORT p"
//   tls-stream lf|crlf|bulk <bytes> <certFile> <keyFile>
//                                the same over TLS: every connection, once its handshake is
//                                done, gets <bytes>, then close_notify and FIN -> "PORT p"
//   tls-accept <certFile> <keyFile>
//                                TLS server: ends every connection (close_notify, FIN) as soon
//                                as its handshake is done -> "PORT p"
//   tls-cycles <port> <n> <caFile>
//                                n sequential TLS connect, handshake (the peer verified against
//                                caFile as localhost), the server's end, close -> "DONE ms"
//   sink                         server: reads to EOF, answers "<bytes read>\n", closes -> "PORT p"
//   udp <port> <n> <size>        sends n datagrams of size bytes, then exits -> "SENT n ms"
//   cycles <port> <n>            n sequential connect, "ping\n", echo, close -> "DONE ms"
//   hold <port> <n>              opens n connections and keeps them -> "HELD n"
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { connect as tlsConnect, createServer as tlsServer } from 'node:tls';

const [mode, ...args] = process.argv.slice(2);
const say = (line) => process.stdout.write(line + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

function piece(kind) {
  if (kind === 'lf') return Buffer.from(('x'.repeat(39) + '\n').repeat(1638));
  if (kind === 'crlf') return Buffer.from(('x'.repeat(38) + '\r\n').repeat(1638));
  return Buffer.alloc(65536, 121);
}

function listen(server) {
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () =>
    say(`PORT ${server.address().port}`),
  );
}

/** Writes `total` bytes of `chunk` pieces to `s` as fast as it drains, then ends it. */
function pump(s, chunk, total) {
  s.on('error', () => undefined);
  let left = total;
  const more = () => {
    while (left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      if (!s.write(part)) return void s.once('drain', more);
    }
    s.end();
  };
  more();
}

const pem = (certFile, keyFile) => ({ cert: readFileSync(certFile), key: readFileSync(keyFile) });

if (mode === 'stream') {
  const chunk = piece(args[0]);
  const total = Number(args[1]);
  listen(createServer((s) => pump(s, chunk, total)));
} else if (mode === 'tls-stream') {
  const chunk = piece(args[0]);
  const total = Number(args[1]);
  const server = tlsServer(pem(args[2], args[3]), (s) => pump(s, chunk, total));
  server.on('tlsClientError', () => undefined);
  listen(server);
} else if (mode === 'tls-accept') {
  const server = tlsServer(pem(args[0], args[1]), (s) => {
    s.on('error', () => undefined);
    s.end();
  });
  server.on('tlsClientError', () => undefined);
  listen(server);
} else if (mode === 'tls-cycles') {
  const [port, n] = args.slice(0, 2).map(Number);
  const ca = readFileSync(args[2]);
  const t0 = performance.now();
  let done = 0;
  const one = () => {
    if (done === n) return say(`DONE ${(performance.now() - t0).toFixed(1)}`);
    const s = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () => {
      if (!s.authorized) {
        console.error(`not authorized: ${s.authorizationError}`);
        process.exit(1);
      }
      s.resume();
    });
    s.on('error', (err) => {
      console.error(err.message);
      process.exit(1);
    });
    s.on('end', () => s.destroy());
    s.on('close', () => {
      done++;
      one();
    });
  };
  one();
} else if (mode === 'sink') {
  listen(
    createServer((s) => {
      s.on('error', () => undefined);
      let bytes = 0;
      s.on('data', (d) => (bytes += d.length));
      s.on('end', () => s.end(`${bytes}\n`));
    }),
  );
} else if (mode === 'udp') {
  const [port, n, size] = args.map(Number);
  const s = createSocket('udp4');
  const buf = Buffer.alloc(size, 120);
  let sent = 0;
  const t0 = performance.now();
  s.connect(port, '127.0.0.1', () => {
    const burst = () => {
      for (let i = 0; i < 64 && sent < n; i++, sent++) s.send(buf);
      if (sent < n) setImmediate(burst);
      else
        setImmediate(() => {
          say(`SENT ${sent} ${(performance.now() - t0).toFixed(1)}`);
          s.close();
          process.exit(0);
        });
    };
    burst();
  });
} else if (mode === 'cycles') {
  const [port, n] = args.map(Number);
  const t0 = performance.now();
  let done = 0;
  const one = () => {
    if (done === n) return say(`DONE ${(performance.now() - t0).toFixed(1)}`);
    const s = connect(port, '127.0.0.1', () => s.write('ping\n'));
    s.setNoDelay(true);
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got === 'ping\n') s.end();
    });
    s.on('error', (err) => {
      console.error(err.message);
      process.exit(1);
    });
    s.on('close', () => {
      done++;
      one();
    });
  };
  one();
} else if (mode === 'hold') {
  const [port, n] = args.map(Number);
  const held = [];
  const batch = async () => {
    while (held.length < n) {
      const k = Math.min(100, n - held.length);
      await Promise.all(
        Array.from(
          { length: k },
          () =>
            new Promise((resolve, reject) => {
              const s = connect(port, '127.0.0.1', () => resolve(s));
              s.on('error', reject);
              held.push(s);
            }),
        ),
      );
    }
    say(`HELD ${held.length}`);
  };
  batch().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
