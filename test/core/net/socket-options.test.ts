import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  bind,
  bindUnix,
  connect,
  connectUnix,
  OPTION_NAMES,
  SocketError,
  tcp,
  udp,
  unix,
  type OptionName,
  type OptionValues,
} from '../../../src/index.js';
import { hasIPv6 } from '../../helpers/loopback.js';

/** What every core object kind offers for options. */
interface Optioned {
  getoption<K extends OptionName>(name: K): OptionValues[K];
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void;
}

interface Subject {
  target: Optioned;
  close(): void;
}

const dir = mkdtempSync(join(tmpdir(), 'lsa-opts-'));
let counter = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Options that LuaSocket too can only set: a membership has no value to read back. */
const SET_ONLY = new Set<OptionName>([
  'ip-add-membership',
  'ip-drop-membership',
  'ipv6-add-membership',
  'ipv6-drop-membership',
]);

/**
 * Sizes the kernel reports its own way (Linux doubles them, within bounds):
 * after a set, a number at least the size asked and unlike the one before,
 * or, before a UDP socket is bound, 'unsupported'.
 */
const KERNEL_SIZED = new Set<OptionName>(['recv-buffer-size', 'send-buffer-size']);

/** A value to set: the opposite of a boolean's current value, else a non-default one. */
function sample(name: OptionName, current: unknown, v6: boolean): OptionValues[OptionName] {
  switch (name) {
    case 'linger':
      return { on: true, timeout: 0 };
    case 'ip-multicast-if':
      return v6 ? '::' : '127.0.0.1';
    case 'ip-multicast-ttl':
    case 'ipv6-unicast-hops':
    case 'ipv6-multicast-hops':
      return 7;
    case 'tcp-keepidle':
    case 'tcp-keepcnt':
    case 'tcp-keepintvl':
    case 'tcp-defer-accept':
    case 'tcp-fastopen':
    case 'tcp-fastopen-connect':
    case 'recv-buffer-size':
    case 'send-buffer-size':
      return 30;
    case 'error':
      return null;
    case 'ip-add-membership':
    case 'ip-drop-membership':
    case 'ipv6-add-membership':
    case 'ipv6-drop-membership':
      return { multiaddr: v6 ? 'ff02::1:3' : '239.255.0.1', interface: '*' };
    default:
      return typeof current === 'boolean' ? !current : true;
  }
}

/** True when `err` is the 'unsupported' answer for `name`: the code, and the name first. */
function isUnsupported(err: unknown, name: string): boolean {
  return (
    err instanceof SocketError && err.code === 'unsupported' && err.message.startsWith(`${name}:`)
  );
}

function attempt(fn: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Walks every option name on `target` and returns what broke the rule: each
 * getoption answers a value or 'unsupported'; each setoption either round-trips
 * through getoption or answers 'unsupported' (a membership, set-only, may
 * also fail with the system's error, and its getoption must say 'unsupported').
 */
function violations(target: Optioned, v6: boolean): string[] {
  const found: string[] = [];
  for (const name of OPTION_NAMES) {
    const before = attempt(() => target.getoption(name));
    if (!before.ok && !isUnsupported(before.error, name))
      found.push(`get ${name}: ${String(before.error)}`);
    if (SET_ONLY.has(name) && before.ok)
      found.push(`get ${name}: a set-only option answered a value`);
    const value = sample(name, before.ok ? before.value : undefined, v6);
    const set = attempt(() => target.setoption(name, value));
    if (!set.ok) {
      const tolerated =
        isUnsupported(set.error, name) || (SET_ONLY.has(name) && set.error instanceof SocketError);
      if (!tolerated) found.push(`set ${name}: ${String(set.error)}`);
      continue;
    }
    if (SET_ONLY.has(name)) continue;
    const after = attempt(() => target.getoption(name));
    if (KERNEL_SIZED.has(name)) {
      const changed =
        after.ok &&
        typeof after.value === 'number' &&
        after.value >= (value as number) &&
        (!before.ok || after.value !== before.value);
      if (!changed && !(!after.ok && isUnsupported(after.error, name)))
        found.push(
          `set ${name} to ${JSON.stringify(value)} but get answers ${String(after.ok ? JSON.stringify(after.value) : after.error)}`,
        );
      continue;
    }
    if (!after.ok) found.push(`set ${name} succeeded but get answers ${String(after.error)}`);
    else if (JSON.stringify(after.value) !== JSON.stringify(value)) {
      found.push(
        `set ${name} to ${JSON.stringify(value)} but get answers ${JSON.stringify(after.value)}`,
      );
    }
  }
  return found;
}

type Kind = [name: string, v6: boolean, make: () => Promise<Subject>];

function ipKinds(v6: boolean): Kind[] {
  const family = v6 ? 'inet6' : 'inet';
  const host = v6 ? '::1' : '127.0.0.1';
  return [
    [`tcp master (${family})`, v6, () => Promise.resolve(closing(tcp({ family })))],
    [
      `tcp master, bound (${family})`,
      v6,
      async () => {
        const master = tcp({ family });
        await master.bind(host, 0);
        return closing(master);
      },
    ],
    [`tcp server (${family})`, v6, async () => closing(await bind(host, 0))],
    [
      `tcp client (${family})`,
      v6,
      async () => {
        const server = await bind(host, 0);
        const client = await connect(host, server.getsockname().port);
        const conn = await server.accept({ timeout: 5 });
        return { target: client, close: () => [client, conn, server].forEach((s) => s.close()) };
      },
    ],
    [`udp unconnected, unbound (${family})`, v6, () => Promise.resolve(closing(udp({ family })))],
    [
      `udp unconnected, bound (${family})`,
      v6,
      async () => {
        const u = udp({ family });
        await u.setsockname(host, 0);
        return closing(u);
      },
    ],
    [
      `udp connected (${family})`,
      v6,
      async () => {
        const peer = udp({ family });
        await peer.setsockname(host, 0);
        const u = udp({ family });
        await u.setpeername(host, peer.getsockname().port);
        return { target: u, close: () => [u, peer].forEach((s) => s.close()) };
      },
    ],
  ];
}

function closing(target: Optioned & { close(): void }): Subject {
  return { target, close: () => target.close() };
}

const unixKinds: Kind[] = [
  ['unix master', false, () => Promise.resolve(closing(unix()))],
  ['unix server', false, async () => closing(await bindUnix(join(dir, `m${++counter}.sock`)))],
  [
    'unix client',
    false,
    async () => {
      const path = join(dir, `m${++counter}.sock`);
      const server = await bindUnix(path);
      const client = await connectUnix(path);
      const conn = await server.accept({ timeout: 5 });
      return { target: client, close: () => [client, conn, server].forEach((s) => s.close()) };
    },
  ],
];

describe('options: every name of OPTION_NAMES on every core object kind', () => {
  test.each([...ipKinds(false), ...unixKinds])(
    '%s: a round trip through getoption, or unsupported',
    async (_, v6, make) => {
      const subject = await make();
      try {
        expect(violations(subject.target, v6)).toEqual([]);
      } finally {
        subject.close();
      }
    },
  );

  test.skipIf(!hasIPv6).each(ipKinds(true))(
    `%s: a round trip through getoption, or unsupported${hasIPv6 ? '' : ' (skipped: no ::1 here)'}`,
    async (_, v6, make) => {
      const subject = await make();
      try {
        expect(violations(subject.target, v6)).toEqual([]);
      } finally {
        subject.close();
      }
    },
  );

  test('violations() flags a silent success: a set that getoption does not reflect', () => {
    const silent: Optioned = {
      getoption: () => false as never,
      setoption: () => undefined,
    };
    expect(violations(silent, false)).toContain('set keepalive to true but get answers false');
  });
});
