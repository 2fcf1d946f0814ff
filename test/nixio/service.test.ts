import { describe, expect, it, vi } from 'vitest';
import { readServices, servicePort } from '../../nixio/service.js';
import { hasPython, runPython } from '../helpers/python.js';

type SocketType = 'stream' | 'dgram';

// Numbers the way strtoul and glibc's int/htons truncations read them, names
// and aliases of both protocols, and strings that are neither.
const CASES = [
  ...['80', '0', '65535', '65536', '70000', '00080', '080', '-0', '', '  80', ' \t80', '\n80'],
  ...['\v80', '\f80', '\r80', '+80', ' +80', '-80', '-1', '-65456', '-4294967216'],
  ...['-18446744073709551615', '2147483647', '2147483648', '4294967295', '4294967296'],
  ...['4294967297', '4294967376', '18446744073709551615', '18446744073709551616'],
  ...['18446744073709551696', '99999999999999999999999', '-2147483648'],
  ...['0x50', '80abc', '80 ', '8\t0', '1e2', '+', '-', '+-80', '- 1', '  ', '\u00a080', '٨٠'],
  ...['http', 'HTTP', 'www', 'https', 'ntp', 'domain', 'domain-s', 'mail', 'webcache'],
  ...['ftp-data', 'ssh', 'snmp', 'kerberos5', 'tftp', 'sctp', 'tcp', 'nosuchservice'],
];

// What getaddrinfo(host, svc, type) gives on this machine: the port, or null
// for EAI_SERVICE; any other failure is reported as its code so it shows.
function glibcPorts(host: string | null, type: SocketType): (number | null | string)[] {
  const code = [
    'import socket, json',
    `cases = json.loads(${JSON.stringify(JSON.stringify(CASES))})`,
    `t = socket.SOCK_${type === 'stream' ? 'STREAM' : 'DGRAM'}`,
    'out = []',
    'for s in cases:',
    '    try:',
    `        r = socket.getaddrinfo(${host === null ? 'None' : `'${host}'`}, s, type=t)`,
    '        ports = sorted({a[4][1] for a in r})',
    "        out.append(ports[0] if len(ports) == 1 else 'ports %r' % ports)",
    '    except socket.gaierror as e:',
    "        out.append(None if e.errno == socket.EAI_SERVICE else 'gaierror %d' % e.errno)",
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runPython(code)) as (number | null | string)[];
}

describe('servicePort against glibc', () => {
  it.skipIf(!hasPython).each([
    [null, 'stream'],
    [null, 'dgram'],
    ['127.0.0.1', 'stream'],
    ['127.0.0.1', 'dgram'],
  ] as const)('matches getaddrinfo(%s, service, %s) for every case', (host, type) => {
    const truth = glibcPorts(host, type);
    expect(truth).toHaveLength(CASES.length);
    const ours = CASES.map((s) => servicePort(s, type) ?? null);
    expect(CASES.map((s, i) => [s, ours[i]])).toEqual(CASES.map((s, i) => [s, truth[i]]));
  });
});

describe('servicePort', () => {
  it('reads decimal strings the way glibc does', () => {
    expect(servicePort('8080', 'stream')).toBe(8080);
    expect(servicePort('  +80', 'dgram')).toBe(80);
    expect(servicePort('70000', 'stream')).toBe(4464);
    expect(servicePort('4294967376', 'stream')).toBe(80);
    expect(servicePort('-4294967216', 'stream')).toBe(80);
    expect(servicePort('', 'stream')).toBe(0);
  });

  it('looks up strings that are not wholly a usable number, and finds nothing', () => {
    for (const s of ['0x50', '80abc', '80 ', '-80', '-1', '4294967295', '1e2', '  ']) {
      expect([s, servicePort(s, 'stream')]).toEqual([s, undefined]);
    }
  });

  it('ignores what follows a NUL, as the C string glibc gets ends there', () => {
    expect(servicePort('80\0abc', 'stream')).toBe(80);
    expect(servicePort('\u0000junk', 'dgram')).toBe(0);
  });

  it('takes integer ports 0..65535 as they are', () => {
    expect(servicePort(0, 'stream')).toBe(0);
    expect(servicePort(443, 'dgram')).toBe(443);
    expect(servicePort(65535, 'stream')).toBe(65535);
  });

  it.each([-1, 65536, 80.5, Number.NaN, Infinity])(
    'rejects the number %s with a RangeError naming port',
    (bad) => {
      expect(() => servicePort(bad, 'stream')).toThrow(RangeError);
      expect(() => servicePort(bad, 'stream')).toThrow(/port/);
    },
  );

  it('rejects what is neither a string nor a number with a TypeError', () => {
    expect(() => servicePort(null as unknown as string, 'stream')).toThrow(TypeError);
  });
});

describe('readServices', () => {
  const table = readServices(
    [
      '# comment line',
      'http\t\t80/tcp\t\twww\t# WorldWideWeb',
      'http 8080/tcp second-http',
      'ntp 123/udp',
      'big 70000/tcp',
      'crlf 7/tcp\r',
      '   indented 9/udp sink',
      'noport tcp',
      'badport 12x/tcp',
      'negative -5/tcp',
      '#hidden 1/tcp',
      'cut 11/tcp#notalias',
      '',
    ].join('\n'),
  );

  it('maps names and aliases to ports per protocol', () => {
    expect(table.get('tcp')?.get('http')).toBe(80);
    expect(table.get('tcp')?.get('www')).toBe(80);
    expect(table.get('udp')?.get('ntp')).toBe(123);
    expect(table.get('udp')?.get('sink')).toBe(9);
    expect(table.get('tcp')?.get('ntp')).toBeUndefined();
  });

  it('keeps the first entry for a name, as a file lookup stops there', () => {
    expect(table.get('tcp')?.get('http')).toBe(80);
    expect(table.get('tcp')?.get('second-http')).toBe(8080);
  });

  it("keeps a port's low 16 bits, trims CR, and skips comments and malformed lines", () => {
    expect(table.get('tcp')?.get('big')).toBe(4464);
    expect(table.get('tcp')?.get('crlf')).toBe(7);
    expect(table.get('tcp')?.get('cut')).toBe(11);
    expect(table.get('tcp')?.get('notalias')).toBeUndefined();
    for (const n of ['noport', 'badport', 'negative', 'hidden', 'comment']) {
      expect([n, table.get('tcp')?.get(n)]).toEqual([n, undefined]);
    }
    expect([...table.keys()].sort()).toEqual(['tcp', 'udp']);
  });
});

describe('servicePort without /etc/services', () => {
  // The fallback table's names, each with the socket types it serves.
  const FALLBACK: [string, SocketType[]][] = [
    ['http', ['stream']],
    ['www', ['stream']],
    ['https', ['stream', 'dgram']],
    ['ftp', ['stream']],
    ['ssh', ['stream']],
    ['telnet', ['stream']],
    ['smtp', ['stream']],
    ['domain', ['stream', 'dgram']],
    ['ntp', ['dgram']],
    ['tftp', ['dgram']],
    ['imap', ['stream']],
    ['http-alt', ['stream']],
  ];

  async function withoutFile(): Promise<{
    servicePort: typeof servicePort;
    reads: () => number;
  }> {
    let reads = 0;
    vi.resetModules();
    vi.doMock('node:fs', () => ({
      readFileSync: () => {
        reads++;
        throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
      },
    }));
    try {
      const mod = await import('../../nixio/service.js');
      return { servicePort: mod.servicePort, reads: () => reads };
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  }

  it('falls back to the built-in names, reading the file once and only for a name', async () => {
    const fresh = await withoutFile();
    expect(fresh.servicePort('80', 'stream')).toBe(80);
    expect(fresh.reads()).toBe(0);
    expect(fresh.servicePort('http', 'stream')).toBe(80);
    expect(fresh.servicePort('ntp', 'dgram')).toBe(123);
    expect(fresh.servicePort('ntp', 'stream')).toBeUndefined();
    expect(fresh.servicePort('kerberos', 'stream')).toBeUndefined();
    expect(fresh.reads()).toBe(1);
  });

  it.skipIf(!hasPython)(
    'gives what glibc gives with the file for every built-in name',
    async () => {
      const fresh = await withoutFile();
      const names = FALLBACK.map(([n]) => n);
      const truth = JSON.parse(
        runPython(
          [
            'import socket, json',
            `names = ${JSON.stringify(names)}`,
            'def port(n, t):',
            '    try: return socket.getaddrinfo("127.0.0.1", n, type=t)[0][4][1]',
            '    except socket.gaierror: return None',
            'print(json.dumps([[port(n, socket.SOCK_STREAM), port(n, socket.SOCK_DGRAM)] for n in names]))',
          ].join('\n'),
        ),
      ) as [number | null, number | null][];
      FALLBACK.forEach(([name, types], i) => {
        const ours = [fresh.servicePort(name, 'stream'), fresh.servicePort(name, 'dgram')];
        expect([name, ours.map((p) => p ?? null)]).toEqual([name, truth[i]]);
        expect([name, ours.map((p) => p !== undefined)]).toEqual([
          name,
          [types.includes('stream'), types.includes('dgram')],
        ]);
      });
    },
  );
});
