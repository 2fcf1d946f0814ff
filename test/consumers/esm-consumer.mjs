// A minimal ESM user of the built package, through its "exports" map.
import { bind, connect, SocketError } from 'luasocket-async';
import socket from 'luasocket-async/compat';
import nixio from 'luasocket-async/nixio';
import ssl from 'luasocket-async/compat/ssl';

const server = await bind('127.0.0.1', 0);
const client = await connect('127.0.0.1', server.getsockname().port);
const conn = await server.accept();
await client.send('esm\n');
const line = await conn.receive('*l');
const err = await conn.receive(1, { timeout: 0 }).catch((e) => e);

const [master] = socket.tcp();
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
    compat: ok,
    nixio: bound,
    ssl: String(ssl.newcontext({ mode: 'client', protocol: 'any' })[0]),
  }),
);
