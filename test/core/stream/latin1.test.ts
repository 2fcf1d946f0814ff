import { describe, expect, test } from 'vitest';
import { bind, connect, udp } from 'luasocket-async';

// Node would send only the low byte of a character above U+00FF ('€' as
// 0xAC): a 'latin1' socket refuses such a string at once instead.
describe("a 'latin1' socket sends byte strings only", () => {
  test('TCP send() of a character above U+00FF throws a RangeError at once and sends nothing', async () => {
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
    await using client = await connect('127.0.0.1', server.getsockname().port, {
      encoding: 'latin1',
    });
    await using conn = await server.accept({ timeout: 5 });
    expect(() => client.send('a€b')).toThrow(RangeError);
    expect(() => client.send('a€b')).toThrow(/U\+20AC '€' at string index 1/);
    // What can be a byte string goes out one byte per character, U+00FF included.
    await client.send('é\xff\n');
    expect(await conn.receive('*l', { timeout: 5 })).toEqual(Buffer.from([0xe9, 0xff]));
    expect(client.getstats().sent).toBe(3);
  });

  test('UDP sendto() of a character above U+00FF throws a RangeError at once', async () => {
    await using receiver = udp({ encoding: 'latin1' });
    await receiver.setsockname('127.0.0.1', 0);
    const { port } = receiver.getsockname();
    await using sender = udp({ encoding: 'latin1' });
    expect(() => sender.sendto('😀', '127.0.0.1', port)).toThrow(RangeError);
    // A character outside the BMP is named by its code point, not its surrogates.
    expect(() => sender.sendto('ab😀', '127.0.0.1', port)).toThrow(
      /U\+1F600 '😀' at string index 2/,
    );
    await sender.sendto('\xe9', '127.0.0.1', port);
    const { data } = await receiver.receivefrom(8192, { timeout: 5 });
    expect(data).toBe('\xe9');
  });

  test("a 'utf8' socket sends the same string as UTF-8", async () => {
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('€\n');
    expect(await conn.receive('*l', { timeout: 5 })).toEqual(Buffer.from('€', 'utf8'));
  });
});
