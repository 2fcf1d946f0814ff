import { describe, expect, it } from 'vitest';
import {
  applyTimeouts,
  gettimeout,
  settimeout,
  type LuaTimeouts,
  type TimeoutTarget,
} from '../../compat/timeout.js';
import { hasLua } from '../helpers/lua.js';
import { luaOutcomes, show, type Outcome } from '../helpers/lua-raises.js';
import { loopback } from '../helpers/loopback.js';

const unset = (): LuaTimeouts => ({ block: undefined, total: undefined });

/** A target that records what it was told. */
function recorder(): TimeoutTarget & { calls: [number | null | undefined, 'b' | 't'][] } {
  const calls: [number | null | undefined, 'b' | 't'][] = [];
  return { calls, settimeout: (value, mode) => void calls.push([value, mode]) };
}

/** What `run` threw: its message. */
function thrown(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no throw';
}

describe('settimeout and gettimeout', () => {
  it('gettimeout answers -1 for a setting never made', () => {
    expect(gettimeout(unset())).toEqual([-1, -1]);
  });

  it('settimeout keeps the value as given, negative ones too, and nil as -1', () => {
    const t = unset();
    settimeout(t, 2.5, 'b');
    settimeout(t, -7, 't');
    expect(gettimeout(t)).toEqual([2.5, -7]);
    settimeout(t, null, undefined);
    expect(gettimeout(t)).toEqual([-1, -7]);
    settimeout(t, 0, 't');
    expect(t).toEqual({ block: -1, total: 0 });
  });

  it('settimeout takes a numeric string as Lua does', () => {
    const t = unset();
    settimeout(t, '0x10', 'b');
    settimeout(t, ' 1e-1 ', 't');
    expect(gettimeout(t)).toEqual([16, 0.1]);
  });

  it("the mode's first letter decides: b for block, t or r for total, the block when omitted", () => {
    const t = unset();
    settimeout(t, 1, undefined);
    settimeout(t, 2, 'total');
    expect(gettimeout(t)).toEqual([1, 2]);
    settimeout(t, 3, 'bogus');
    settimeout(t, 4, 'return');
    expect(gettimeout(t)).toEqual([3, 4]);
    settimeout(t, 5, 'tx');
    expect(gettimeout(t)).toEqual([3, 5]);
  });

  it("settimeout throws Lua's messages for a bad value or mode, and changes nothing", () => {
    const t: LuaTimeouts = { block: 1, total: 2 };
    expect(thrown(() => settimeout(t, 'soon', 'b'))).toBe(
      "bad argument #1 to 'settimeout' (number expected, got string)",
    );
    expect(thrown(() => settimeout(t, true, 'b'))).toBe(
      "bad argument #1 to 'settimeout' (number expected, got boolean)",
    );
    for (const mode of ['x', '', 'B', 1]) {
      expect(
        thrown(() => settimeout(t, 3, mode)),
        String(mode),
      ).toBe("bad argument #2 to 'settimeout' (invalid timeout mode)");
    }
    expect(thrown(() => settimeout(t, 3, {}))).toBe(
      "bad argument #2 to 'settimeout' (string expected, got table)",
    );
    expect(t).toEqual({ block: 1, total: 2 });
  });
});

describe('applyTimeouts', () => {
  it("a lone block timeout goes to the core as a total: LuaSocket 3 measures it from the call's start", () => {
    const target = recorder();
    applyTimeouts(target, { block: 2, total: undefined });
    expect(target.calls).toEqual([
      [undefined, 'b'],
      [2, 't'],
    ]);
  });

  it('a pair stays a pair; a lone total stays a total; negative settings are none', () => {
    const pair = recorder();
    applyTimeouts(pair, { block: 0.5, total: 10 });
    expect(pair.calls).toEqual([
      [0.5, 'b'],
      [10, 't'],
    ]);
    const total = recorder();
    applyTimeouts(total, { block: -1, total: 3 });
    expect(total.calls).toEqual([
      [undefined, 'b'],
      [3, 't'],
    ]);
    const none = recorder();
    applyTimeouts(none, { block: -5, total: undefined });
    expect(none.calls).toEqual([
      [undefined, 'b'],
      [undefined, 't'],
    ]);
  });

  it('applyTimeouts sets a real client in the core’s terms', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    applyTimeouts(lb.client, { block: 0.25, total: undefined });
    expect(lb.client.gettimeout()).toEqual({ block: undefined, total: 0.25 });
    applyTimeouts(lb.client, { block: 0.25, total: 4 });
    expect(lb.client.gettimeout()).toEqual({ block: 0.25, total: 4 });
    applyTimeouts(lb.client, unset());
    expect(lb.client.gettimeout()).toEqual({ block: undefined, total: undefined });
  });
});

describe.skipIf(!hasLua)('settimeout against LuaSocket', () => {
  it('the same calls leave the same settings in lua5.4, and the same ones raise', () => {
    // Each row starts from nothing set: settimeout(nil) stores -1, as a fresh object has.
    const rows: [string, unknown, unknown][] = [
      ["3, 'bogus'", 3, 'bogus'],
      ["4, 'return'", 4, 'return'],
      ["5, 'tx'", 5, 'tx'],
      ["6, 'rr'", 6, 'rr'],
      ["'0x10', 't'", '0x10', 't'],
      ["' 2 '", ' 2 ', undefined],
      ["'1e-1', 'b'", '1e-1', 'b'],
      ['-0.5, nil', -0.5, null],
      ["1, 'B'", 1, 'B'],
      ["1, 'T'", 1, 'T'],
      ["'2x'", '2x', undefined],
    ];
    const lua = luaOutcomes(
      rows.map(
        ([args]) =>
          `(function() m:settimeout(nil, 'b') m:settimeout(nil, 't') m:settimeout(${args}) return m:gettimeout() end)()`,
      ),
    );
    const mine = rows.map(([, value, mode]): Outcome => {
      const t = unset();
      try {
        settimeout(t, value, mode);
      } catch (err) {
        return { raised: true, message: (err as Error).message };
      }
      return { raised: false, values: gettimeout(t).map(show) };
    });
    expect(mine).toEqual(lua);
  });
});
