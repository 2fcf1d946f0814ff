// A minimal CommonJS user of the built package: require() must work although
// p-timeout, bundled into the core, is ESM-only.
const { bind, connect, SocketError } = require('luasocket-async');
const socket = require('luasocket-async/compat');
const nixio = require('luasocket-async/nixio').default;
const ssl = require('luasocket-async/compat/ssl').default;

async function main() {
  const server = await bind('127.0.0.1', 0);
  const client = await connect('127.0.0.1', server.getsockname().port);
  const conn = await server.accept();
  await client.send('cjs\n');
  const line = await conn.receive('*l');
  const err = await conn.receive(1, { timeout: 0 }).catch((e) => e);

  // An error made by the ESM copy is still an instance of the CJS class.
  const esm = await import('luasocket-async');
  const crossCopy = new esm.SocketError('closed') instanceof SocketError;

  const compat = socket.default ?? socket;
  const [master] = compat.tcp();
  const [ok] = await master.bind('127.0.0.1', 0);
  master.close();

  const [sock] = nixio.socket('inet', 'stream');
  const [bound] = await sock.bind('127.0.0.1', 0);
  sock.close();

  client.close();
  conn.close();
  server.close();
  console.log(
    JSON.stringify({
      line,
      timeout: err instanceof SocketError && err.code,
      crossCopy,
      compat: ok,
      nixio: bound,
      ssl: String(ssl.newcontext({ mode: 'client', protocol: 'any' })[0]),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
