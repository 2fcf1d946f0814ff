/**
 * Certificate times as OpenSSL reads them: printed as `ASN1_TIME_print`
 * prints them, compared as `X509_cmp_time` compares them.
 *
 * @internal
 * @module
 */

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const MAX = [99, 99, 12, 31, 23, 59, 59, 12, 59];
const MIN = [0, 0, 1, 1, 0, 0, 0, 0, 0];
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** A time as OpenSSL reads it: seconds since the epoch, the calendar in UTC, the fraction as written. */
interface TimeFields {
  seconds: number;
  fields: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
  };
  fraction: string;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] as number);
}

/** Seconds since the epoch of a UTC calendar time, for any year (Date.UTC maps 0..99 to 19xx). */
function epoch(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() / 1000;
}

/**
 * `ossl_asn1_time_to_tm` without its strict mode: two digits at a time,
 * seconds optional, fractional seconds in a GeneralizedTime, then `Z` or
 * an offset that moves the time to UTC.
 */
function timeFields(tag: number, text: string): TimeFields | undefined {
  const generalized = tag === GENERALIZED_TIME;
  if (!generalized && tag !== UTC_TIME) return undefined;
  const count = generalized ? 7 : 6;
  if (text.length < (generalized ? 13 : 11)) return undefined;
  const n: number[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (i === count - 1 && /[Z+-]/.test(text[o] ?? '')) break;
    const pair = text.slice(o, o + 2);
    if (!/^\d\d$/.test(pair) || o + 2 >= text.length) return undefined;
    const v = Number(pair);
    const slot = generalized ? i : i + 1;
    if (v < (MIN[slot] as number) || v > (MAX[slot] as number)) return undefined;
    n.push(v);
    o += 2;
  }
  const year = generalized
    ? (n[0] as number) * 100 + (n[1] as number)
    : (n[0] as number) < 50
      ? 2000 + (n[0] as number)
      : 1900 + (n[0] as number);
  const [month = 0, day = 0, hour = 0, minute = 0, second = 0] = n.slice(generalized ? 2 : 1);
  if (day > daysInMonth(year, month)) return undefined;
  let fraction = '';
  if (generalized && text[o] === '.') {
    const m = /^\.\d+/.exec(text.slice(o));
    if (m === null || o + m[0].length >= text.length) return undefined;
    o += m[0].length;
    fraction = m[0];
  }
  let seconds = epoch(year, month, day, hour, minute, second);
  if (text[o] === 'Z') o++;
  else if (text[o] === '+' || text[o] === '-') {
    const m = /^([+-])(\d\d)(\d\d)$/.exec(text.slice(o));
    if (m === null || Number(m[2]) > 12 || Number(m[3]) > 59) return undefined;
    // `+0100` is an hour ahead of UTC: the UTC time is an hour earlier.
    seconds -= (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
    o = text.length;
  } else return undefined;
  if (o !== text.length) return undefined;
  const utc = new Date(seconds * 1000);
  return {
    seconds,
    fields: {
      year: utc.getUTCFullYear(),
      month: utc.getUTCMonth() + 1,
      day: utc.getUTCDate(),
      hour: utc.getUTCHours(),
      minute: utc.getUTCMinutes(),
      second: utc.getUTCSeconds(),
    },
    fraction,
  };
}

/** A time in seconds since the epoch, as OpenSSL reads it; undefined when it cannot. */
export function timeSeconds(tag: number, bytes: Buffer): number | undefined {
  return timeFields(tag, bytes.toString('latin1'))?.seconds;
}

/**
 * A time as `ASN1_TIME_print` writes it: `Dec  4 20:48:09 2026 GMT`, or
 * `Bad time value`. OpenSSL 3 writes the time in UTC, with `GMT`, whatever
 * offset it had.
 */
export function printTime(tag: number, bytes: Buffer): string {
  const t = timeFields(tag, bytes.toString('latin1'));
  if (t === undefined) return 'Bad time value';
  const { year, month, day, hour, minute, second } = t.fields;
  const two = (v: number): string => String(v).padStart(2, '0');
  const clock = `${two(hour)}:${two(minute)}:${two(second)}`;
  const date = `${MONTHS[month - 1] as string} ${String(day).padStart(2)}`;
  return `${date} ${clock}${t.fraction} ${year} GMT`;
}

/** The first and last seconds `X509_cmp_time` can compare with (years 0 to 9999). */
const FIRST = -62167219200;
const LAST = 253402300799;

/**
 * `X509_cmp_time(time, &t)`: -1 when the time is at or before `t`, 1 when
 * after, 0 when it cannot compare (a time not in RFC 5280's exact form, or
 * a `t` outside the years 0 to 9999).
 */
export function compareTime(tag: number, bytes: Buffer, t: number): -1 | 0 | 1 {
  const text = bytes.toString('latin1');
  const exact = tag === UTC_TIME ? /^\d{12}Z$/ : tag === GENERALIZED_TIME ? /^\d{14}Z$/ : undefined;
  if (exact === undefined || !exact.test(text) || t < FIRST || t > LAST) return 0;
  const fields = timeFields(tag, text);
  if (fields === undefined) return 0;
  return fields.seconds <= t ? -1 : 1;
}
