// Server commands: TIME, LASTSAVE, MONITOR, SHUTDOWN and LOLWUT.

import type { CommandDef } from './table';
import { type Client, CF_MONITOR, CF_REPLICA, CF_BLOCKED } from '../server/client';
import { FJORD_VERSION } from '../server/server';
import { is, intArg, doubleArg, SYNTAX_ERR } from './util';
import { REDIS_COMPAT_VERSION } from './info';

function time(c: Client): void {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(micros / 1e6)));
  c.reply.bulk(String(micros % 1e6));
}

function lastsave(c: Client): void {
  c.reply.int(c.server.lastSave);
}

function monitor(c: Client): void {
  // Inside EXEC or a script the caller expects one reply per command (Valkey's DENY_BLOCKING).
  if (!c.server.blocking.canBlock(c)) {
    c.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  // Already a monitor (or a replica): Valkey ignores the command without replying.
  if (c.flags & (CF_MONITOR | CF_REPLICA)) return;
  c.flags |= CF_MONITOR;
  c.server.monitors.add(c);
  c.reply.ok();
}

// ---------------------------------------------------------------- SHUTDOWN

interface ShutdownOptions {
  save: boolean;
  nosave: boolean;
  now: boolean;
  force: boolean;
  safe: boolean;
  abort: boolean;
}

/** Parse SHUTDOWN's modifiers; null after an error reply. */
function parseShutdown(c: Client, argv: string[]): ShutdownOptions | null {
  const o: ShutdownOptions = { save: false, nosave: false, now: false, force: false, safe: false, abort: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'nosave' || a === 'save' || a === 'now' || a === 'force' || a === 'safe' || a === 'abort') o[a] = true;
    else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  const anyFlag = o.save || o.nosave || o.now || o.force || o.safe;
  if ((o.abort && anyFlag) || (o.save && o.nosave)) {
    c.error(SYNTAX_ERR);
    return null;
  }
  return o;
}

function shutdown(c: Client, argv: string[]): void {
  const o = parseShutdown(c, argv);
  if (o === null) return;
  const server = c.server;
  if (o.abort) {
    // Without replicas to wait for, a shutdown never stays in progress.
    c.error('ERR No shutdown in progress.');
    return;
  }
  // The caller waits, like Valkey's blockClientShutdown: on success its connection just closes;
  // if a required save fails it gets an error and carries on.
  c.flags |= CF_BLOCKED;
  void server.shutdown({ save: o.save, nosave: o.nosave, force: o.force }).then((ok) => {
    if (ok) return;
    c.flags &= ~CF_BLOCKED;
    if (!server.clients.has(c.id)) return;
    c.error('ERR Errors trying to SHUTDOWN. Check logs.');
    c.processInput();
  });
}

// ---------------------------------------------------------------- LOLWUT

/** "Valkey ver. 9.0.0", or the Redis look-alike under extended-redis-compatibility. */
function versionSignature(c: Client): string {
  const redis = c.server.config.bool('extended-redis-compatibility');
  return redis ? `Redis ver. ${REDIS_COMPAT_VERSION}\n` : `Valkey ver. ${FJORD_VERSION}\n`;
}

/** Integers with Valkey's clamping; null after an error reply. */
function clampedArg(c: Client, s: string | undefined, dflt: number, min: number, max: number): number | null {
  if (s === undefined) return dflt;
  const n = intArg(c, s);
  if (n === null) return null;
  return Math.min(max, Math.max(min, n));
}

/** A monochrome or 4-gray drawing surface; coordinates outside it are ignored. */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background = 0,
  ) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }
  set(x: number, y: number, color: number): void {
    if (x >= 0 && y >= 0 && x < this.width && y < this.height) this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    return x >= 0 && y >= 0 && x < this.width && y < this.height ? this.pixels[x + y * this.width] : 0;
  }
  /** Bresenham line. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) return;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }
  /** A square of side `size` centred on (x, y), rotated by `angle` radians. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const radius = Math.round(size / Math.SQRT2);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      const k = Math.PI / 4 + angle + (j * Math.PI) / 2;
      px.push(Math.round(Math.sin(k) * radius + x));
      py.push(Math.round(Math.cos(k) * radius + y));
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
  }
}

/** Replies are latin1 byte strings: encode non-ASCII text as UTF-8 bytes. */
function utf8Bytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Each 2x4 block of pixels becomes one braille character (U+2800 + dot bits). */
function renderBraille(canvas: Canvas): string {
  const dots: [number, number, number][] = [
    [0, 0, 0], [0, 1, 1], [0, 2, 2], [1, 0, 3], [1, 1, 4], [1, 2, 5], [0, 3, 6], [1, 3, 7],
  ];
  let out = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let bits = 0;
      for (const [dx, dy, bit] of dots) if (canvas.get(x + dx, y + dy)) bits |= 1 << bit;
      out += String.fromCharCode(0x2800 + bits);
    }
    if (y !== canvas.height - 1) out += '\n';
  }
  return utf8Bytes(out);
}

/** Georg Nees' "Schotter": rows of squares, more and more disordered towards the bottom. */
function drawSchotter(cols: number, perRow: number, perCol: number): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = Math.fround((width - padding * 2) / perRow);
  const height = Math.trunc(side * perCol + padding * 2);
  const canvas = new Canvas(width, height);
  const jitter = (row: number) => ((Math.random() / perCol) * row) * (Math.random() < 0.5 ? -1 : 1);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(x * side + side / 2 + padding);
      let sy = Math.trunc(y * side + side / 2 + padding);
      let angle = 0;
      if (y > 1) {
        angle = jitter(y);
        sx = Math.trunc(sx + (jitter(y) * side) / 3);
        sy = Math.trunc(sy + (jitter(y) * side) / 3);
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

function lolwut5(c: Client, args: string[]): void {
  const cols = clampedArg(c, args[0], 66, 1, 1000);
  if (cols === null) return;
  const perRow = clampedArg(c, args[1], 8, 1, 200);
  if (perRow === null) return;
  const perCol = clampedArg(c, args[2], 12, 1, 200);
  if (perCol === null) return;
  const art = renderBraille(drawSchotter(cols, perRow, perCol));
  c.reply.verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. ${versionSignature(c)}`);
}

/** One building of the skyline; foreground ones get lit windows of the two grays. */
function drawSkyscraper(canvas: Canvas, xoff: number, width: number, height: number, color: number, windows: boolean): void {
  const bottom = canvas.height - 1;
  const top = bottom - height + 1;
  for (let y = bottom; y >= top; y--) {
    for (let x = xoff; x < xoff + width; x++) {
      if (y === top && (x <= xoff + 1 || x >= xoff + width - 2)) continue; // narrower roof
      let pixel = color;
      const inner = x > xoff + 1 && x < xoff + width - 2 && y > top + 1 && y < bottom - 1;
      const relx = x - (xoff + 1);
      const rely = y - (top + 1);
      // Windows are two "pixels" (characters) wide and one tall.
      if (windows && inner && Math.trunc(relx / 2) % 2 && rely % 2) {
        if (relx % 2) pixel = canvas.get(x - 1, y);
        else do pixel = 1 + Math.floor(Math.random() * 2); while (pixel === color);
      }
      canvas.set(x, y, pixel);
    }
  }
}

const randInt = (n: number) => Math.floor(Math.random() * n);

function drawSkyline(canvas: Canvas): void {
  const h = canvas.height;
  // Background buildings, lighter ones first so they stay behind.
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += randInt(8);
      const width = 10 + randInt(9);
      const height = color === 2 ? Math.trunc(h / 2) + Math.trunc(randInt(h) / 2) : Math.trunc(h / 2) + Math.trunc(randInt(h) / 3);
      drawSkyscraper(canvas, offset, width, height, color, false);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += randInt(8);
    let width = 5 + randInt(14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc(randInt(h) / 2);
    drawSkyscraper(canvas, offset, width, height, 0, true);
    offset += width + 5;
  }
}

/** Four terminal grays (foreground and background set alike). */
const GRAY_ESCAPES = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

function renderGrays(canvas: Canvas): string {
  let out = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) out += `\x1b[${GRAY_ESCAPES[canvas.get(x, y)] ?? GRAY_ESCAPES[0]} \x1b[0m`;
    if (y !== canvas.height - 1) out += '\n';
  }
  return out;
}

function lolwut6(c: Client, args: string[]): void {
  const cols = clampedArg(c, args[0], 80, 1, 1000);
  if (cols === null) return;
  const rows = clampedArg(c, args[1], 20, 1, 1000);
  if (rows === null) return;
  const canvas = new Canvas(cols, rows, 3);
  drawSkyline(canvas);
  c.reply.verbatim(
    `${renderGrays(canvas)}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. ${versionSignature(c)}`,
  );
}

/** Characters of increasing density for the escape time of a Julia set point. */
const JULIA_SHADES = ' .:-=+*%#&@';

/** Iterations (single precision, as Valkey) before z -> z^2 + c escapes, at most shades-1. */
function juliaEscape(x: number, y: number, cr: number, ci: number): number {
  const f = Math.fround;
  const maxIter = JULIA_SHADES.length;
  for (let i = 0; i < maxIter; i++) {
    const nx = f(f(f(x * x) - f(y * y)) + cr);
    const ny = f(f(f(2 * x) * y) + ci);
    x = nx;
    y = ny;
    if (f(x * x) + f(y * y) > 4) return i;
  }
  return maxIter - 1;
}

function lolwut9(c: Client, args: string[]): void {
  if (args.length === 1 || args.length === 3 || args.length > 4) {
    c.error('ERR Syntax error. Use: LOLWUT [columns rows] [real imaginary]');
    return;
  }
  const cols = clampedArg(c, args[0], 80, 1, 160);
  if (cols === null) return;
  const rows = clampedArg(c, args[1], 40, 1, 80);
  if (rows === null) return;
  let cr: number;
  let ci: number;
  if (args.length === 4) {
    const r = doubleArg(c, args[2]);
    if (r === null) return;
    const i = doubleArg(c, args[3]);
    if (i === null) return;
    [cr, ci] = [Math.fround(r), Math.fround(i)];
  } else {
    [cr, ci] = [Math.fround(Math.random() * 2 - 1), Math.fround(Math.random() * 2 - 1)];
  }
  let out = '';
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = Math.fround(Math.fround((4 * 2 * col) / (2 * cols + 1)) - 2);
      const y = Math.fround(Math.fround((4 * 2 * row) / (2 * rows + 1)) - 2);
      out += JULIA_SHADES[juliaEscape(x, y, cr, ci)];
    }
    out += '\n';
  }
  out += `Ascii representation of Julia set with constant ${cr.toFixed(2)} + ${ci.toFixed(2)}i\n`;
  out += `Don't forget to have fun! ${versionSignature(c)}`;
  c.reply.verbatim(out);
}

/** LOLWUT [VERSION v] [args...]: the art of the asked (default: this) version. */
function lolwut(c: Client, argv: string[]): void {
  let version = FJORD_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && is(argv[1], 'version')) {
    const v = intArg(c, argv[2]);
    if (v === null) return;
    // Valkey formats the number as an unsigned 32-bit int.
    version = `${BigInt.asUintN(32, BigInt(v))}.0.0`;
    args = argv.slice(3);
  }
  if ((version.startsWith('5.') && version[2] !== '9') || version.startsWith('4.9')) lolwut5(c, args);
  else if ((version.startsWith('6.') && version[2] !== '9') || version.startsWith('5.9')) lolwut6(c, args);
  else if (version.startsWith('9.')) lolwut9(c, args);
  else c.reply.verbatim(versionSignature(c));
}

const ADMIN = ['admin', 'noscript', 'loading', 'stale'];

export const serverCommands: CommandDef[] = [
  {
    name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], acl: [], handler: time,
    summary: 'Returns the server time.', since: '2.6.0', group: 'server', complexity: 'O(1)',
    tips: ['nondeterministic_output'],
  },
  {
    name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], acl: ['admin', 'dangerous'], handler: lastsave,
    summary: 'Returns the Unix timestamp of the last successful save to disk.', since: '1.0.0', group: 'server', complexity: 'O(1)',
    tips: ['nondeterministic_output'],
  },
  {
    name: 'monitor', arity: 1, flags: ADMIN, acl: [], handler: monitor,
    summary: 'Listens for all requests received by the server in real-time.', since: '1.0.0', group: 'server',
  },
  {
    name: 'shutdown', arity: -1, flags: [...ADMIN, 'no_multi', 'allow_busy'], acl: [], handler: shutdown,
    summary: 'Synchronously saves the database(s) to disk and shuts down the server.', since: '1.0.0', group: 'server',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: [
      {
        name: 'abort-selector', type: 'oneof', optional: true,
        arguments: [
          {
            name: 'save-selector-block', type: 'block',
            arguments: [
              {
                name: 'save-selector', type: 'oneof', optional: true,
                arguments: [
                  { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
                  { name: 'save', type: 'pure-token', token: 'SAVE' },
                ],
              },
              { name: 'now', type: 'pure-token', token: 'NOW', optional: true, since: '7.0.0' },
              { name: 'force', type: 'pure-token', token: 'FORCE', optional: true, since: '7.0.0' },
              { name: 'safe', type: 'pure-token', token: 'SAFE', optional: true, since: '9.0.0' },
            ],
          },
          { name: 'abort', type: 'pure-token', token: 'ABORT', since: '7.0.0' },
        ],
      },
    ],
  },
  {
    name: 'lolwut', arity: -1, flags: ['readonly', 'fast'], acl: [], handler: lolwut,
    summary: 'Displays computer art and the server version.', since: '5.0.0', group: 'server',
    args: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }],
  },
];
