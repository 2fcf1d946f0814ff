/**
 * LuaSocket's `settimeout`/`gettimeout` arguments (`timeout.c`), and how the
 * two settings map onto the core's, through the core's {@link luaTimeouts}.
 *
 * Real LuaSocket 3 measures a block timeout set alone from the start of the
 * call (`timeout_getretry` computes `block - (now - start)`), so it bounds
 * the whole call, however slowly the bytes trickle in; with both set, each
 * wait gets the block timeout and the call the total. The core's block
 * timeout is an idle timeout, so a lone Lua block timeout becomes a core
 * total timeout, and a pair stays a pair.
 *
 * @internal
 * @module
 */

import { luaTimeouts, type TimeoutSettings } from '../src/index.js';
import { optString } from './arguments.js';
import { badArgument, optNumber } from './lua.js';
import type { TimeoutsResult } from './tuples.js';

/**
 * A compat object's settings in seconds, kept as `settimeout` was given them
 * so that `gettimeout` answers them back, as `timeout.c` stores them;
 * `undefined` (never set) and any negative value wait forever.
 */
export interface LuaTimeouts {
  block: number | undefined;
  total: number | undefined;
}

/** What the settings are applied to: any core socket object. */
export interface TimeoutTarget {
  settimeout(value: number | null | undefined, mode: 'b' | 't'): void;
}

/**
 * Applies `settimeout(value, mode)` to `settings` as LuaSocket parses it:
 * the value is kept as given, `nil` as `-1`, and a negative one waits
 * forever; the mode's first letter decides, `b` for block, `t` (or `r`) for total.
 *
 * @throws TypeError for a non-numeric value or an unknown mode
 */
export function settimeout(settings: LuaTimeouts, value: unknown, mode: unknown): void {
  const seconds = optNumber(value, -1, 1, 'settimeout');
  const kind = optString(mode, 'b', 2, 'settimeout').charAt(0);
  if (kind === 'b') settings.block = seconds;
  else if (kind === 't' || kind === 'r') settings.total = seconds;
  else throw badArgument(2, 'settimeout', 'invalid timeout mode');
}

/** `gettimeout()`: both settings as they were given, `-1` when never set. */
export function gettimeout(settings: LuaTimeouts): TimeoutsResult {
  return [settings.block ?? -1, settings.total ?? -1];
}

/** A setting as a limit: `undefined` for none (never set, or negative). */
function limit(seconds: number | undefined): number | undefined {
  return seconds === undefined || seconds < 0 ? undefined : seconds;
}

/** Puts the Lua settings on a core object, in the core's terms. */
export function applyTimeouts(target: TimeoutTarget, settings: LuaTimeouts): void {
  const core = luaTimeouts(limit(settings.block), limit(settings.total));
  target.settimeout(core.block, 'b');
  target.settimeout(core.total, 't');
}

/** The core's settings for the Lua ones, for a wait a compat object makes itself. */
export function coreTimeouts(settings: LuaTimeouts): TimeoutSettings {
  return luaTimeouts(limit(settings.block), limit(settings.total));
}
