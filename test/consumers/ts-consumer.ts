// A minimal TypeScript user of the packed package, type-checked (never run)
// under moduleResolution node10, node16 (as ESM and, copied to a .cts, as
// CommonJS) and bundler: every entry point must resolve to their declarations.
import { bind, connect, SocketError, type TcpClient } from 'luasocket-async';
import socket, { type TcpObject } from 'luasocket-async/compat';
import ssl, { type SslObject } from 'luasocket-async/compat/ssl';

export async function core(): Promise<string> {
  const server = await bind('127.0.0.1', 0);
  const client: TcpClient = await connect('127.0.0.1', server.getsockname().port);
  try {
    return await client.receive('*l', { timeout: 1 });
  } catch (err) {
    if (err instanceof SocketError && err.code === 'timeout') return String(err.partial);
    throw err;
  } finally {
    client.close();
    server.close();
  }
}

export async function compat(): Promise<string | null> {
  const [c, err] = await socket.connect('127.0.0.1', 8080);
  if (c === null) return err;
  const conn: TcpObject = c;
  const [line, e, partial] = await conn.receive('*l');
  conn.close();
  // @ts-expect-error: the types are real, not `any`: a received line is no number.
  const count: number = line;
  void count;
  return e === null ? line : partial;
}

export async function secure(): Promise<string | null> {
  const [c, err] = await socket.connect('127.0.0.1', 8443);
  if (c === null) return err;
  const [conn, werr] = ssl.wrap(c, { mode: 'client', protocol: 'any', verify: 'none' });
  if (conn === null) return werr;
  const tls: SslObject = conn;
  const [ok, herr] = await tls.dohandshake();
  if (!ok) return herr;
  const [line] = await tls.receive('*l');
  tls.close();
  return line;
}
