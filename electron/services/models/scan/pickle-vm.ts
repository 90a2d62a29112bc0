// A symbolic pickle machine: it reads every opcode of protocols 0-5 the way CPython's Unpickler
// would, but instead of importing and calling, it records what would be imported and called.
// Nothing is ever unpickled. See CPython's Lib/pickletools.py for the opcode reference.
//
// Values on the stack are symbolic (PV below): constants, containers, imported names (Global),
// the results of calls (PObject), and opaque things the scan cannot see into. Every import is
// judged by pickle-allowlist.ts; constructs used to hide imports or calls become 'opcode'
// findings; pickles hidden inside constants are scanned too ('embedded').
//
// Memory: constants are read into memory only up to HOLD bytes (larger ones are skipped or
// streamed), values keep at most STR_KEEP characters / HEAD_KEEP bytes, containers at most
// MAX_ITEMS items, and the stack and memo are capped: the scan stops with a finding rather than
// let a hostile file exhaust memory.

import type { ScanFinding, ScanGlobal, ScanSeverity } from '../../../../shared/contract/models.js';
import { NUMPY_UFUNC_MODULES, NUMPY_UFUNCS, judgeGlobal, pyCompatName } from './pickle-allowlist.js';
import { ByteReader, EndOfStream, latin1FromUtf8 } from './pickle-reader.js';

/** Highest pickle protocol CPython knows. */
export const HIGHEST_PROTOCOL = 5;

const HOLD = 16 * 1024 * 1024; // largest constant read into memory
const STR_KEEP = 64 * 1024; // characters of a string kept as its value
const HEAD_KEEP = 64; // bytes of a bytes constant kept as its value
const RETAIN_BUDGET = 64 * 1024 * 1024; // total string characters kept across one scan
const MAX_ITEMS = 100_000; // items kept per container
const MAX_STACK = 1_000_000;
const MAX_MEMO = 2_000_000;
const MAX_FINDINGS = 200;
const MAX_DEPTH = 4; // pickles inside pickles followed

// ---------------------------------------------------------------------------------------------
// Symbolic values

export interface PGlobal {
  t: 'global';
  module: string;
  name: string;
}
/** The result of calling something: REDUCE, NEWOBJ(_EX), INST, OBJ. BUILD later sets `state`. */
export interface PObject {
  t: 'object';
  callee: PV;
  args: PV | null;
  via: string;
  /** The class the object is an instance of, when known (NEWOBJ's class, copyreg._reconstructor's first argument…). */
  klass: PGlobal | null;
  state: PV | null;
}
export type PV =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint | null }
  | { t: 'float'; v: number }
  /** `full` is false when only the start of the text was kept. */
  | { t: 'str'; v: string; full: boolean }
  | { t: 'bytes'; head: Buffer; length: number }
  | { t: 'tuple' | 'list' | 'set' | 'frozenset'; items: PV[]; more: number }
  | { t: 'dict'; entries: [PV, PV][]; more: number }
  | PGlobal
  | PObject
  | { t: 'opaque'; what: string };

const NONE: PV = { t: 'none' };
const opaque = (what: string): PV => ({ t: 'opaque', what });

function describe(v: PV, depth = 0): string {
  switch (v.t) {
    case 'global':
      return `${v.module}.${v.name}`;
    case 'object':
      // Bounded: a hostile chain of calls on call results can be arbitrarily long.
      return depth < 3 ? `the result of calling ${describe(v.callee, depth + 1)}` : 'the result of a chain of calls';
    case 'opaque':
      return v.what;
    case 'str':
      return 'a string';
    default:
      return `a ${v.t}`;
  }
}

function isGlobal(v: PV | null | undefined, module: string | readonly string[], name: string): boolean {
  if (!v || v.t !== 'global' || v.name !== name) return false;
  return typeof module === 'string' ? v.module === module : module.includes(v.module);
}

const fullStr = (v: PV | undefined): string | null => (v && v.t === 'str' && v.full ? v.v : null);

function dictGet(d: PV | null | undefined, key: string): PV | undefined {
  if (!d || d.t !== 'dict') return undefined;
  for (let i = d.entries.length - 1; i >= 0; i--) {
    const [k, v] = d.entries[i]!;
    if (k.t === 'str' && k.full && k.v === key) return v;
  }
  return undefined;
}

/** A BUILD state is a dict, or (dict, slots) for objects with __slots__. */
function stateDict(state: PV | null): PV | null {
  if (!state) return null;
  if (state.t === 'dict') return state;
  if (state.t === 'tuple' && state.items.length === 2 && state.items[0]!.t === 'dict') return state.items[0]!;
  return null;
}

function pushItem(c: { items: PV[]; more: number }, v: PV): void {
  if (c.items.length < MAX_ITEMS) c.items.push(v);
  else c.more++;
}

// ---------------------------------------------------------------------------------------------
// What a scan found

export const SEVERITY_RANK: Record<ScanSeverity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function worse(a: ScanSeverity | null, b: ScanSeverity | null): ScanSeverity | null {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

interface Recorded extends ScanFinding {
  repeats: number;
}

/** Findings, globals, versions and protocol of one scan (or of one embedded pickle, merged later). */
export class ScanState {
  private readonly list: Recorded[] = [];
  private readonly byKey = new Map<string, Recorded>();
  readonly globals = new Map<string, ScanGlobal>();
  readonly versions: Record<string, string> = {};
  protocol: number | null = null;
  /** Lowest protocol that has every opcode seen (for protocol 0/1 pickles, which do not declare it). */
  impliedProtocol = 0;
  /** The stream relies on joblib's NumpyArrayWrapper (array data interleaved with opcodes). */
  joblibArrays = false;
  /** Characters of strings kept so far (RETAIN_BUDGET). */
  retained = 0;
  private dropped = 0;
  private droppedWorst: ScanSeverity | null = null;

  /** Records a finding; with a key, repeats of the same finding are counted instead of listed. */
  add(f: ScanFinding, key?: string): void {
    if (key) {
      const seen = this.byKey.get(key);
      if (seen) {
        seen.repeats++;
        return;
      }
    }
    if (this.list.length >= MAX_FINDINGS) {
      this.dropped++;
      this.droppedWorst = worse(this.droppedWorst, f.severity);
      return;
    }
    const r: Recorded = { ...f, repeats: 1 };
    this.list.push(r);
    if (key) this.byKey.set(key, r);
  }

  worst(): ScanSeverity | null {
    let w: ScanSeverity | null = this.droppedWorst;
    for (const f of this.list) w = worse(w, f.severity);
    return w;
  }

  /** Findings of kinds that say something is imported or hidden (not merely that the parse failed). */
  hasSerious(): boolean {
    return this.list.some((f) => (f.kind === 'global' || f.kind === 'embedded') && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high);
  }

  seeProtocol(p: number): void {
    this.protocol = Math.max(this.protocol ?? 0, p);
  }

  /** Counts one import of module.name, judging it the first time. */
  addGlobal(module: string, name: string, at: number): void {
    const key = `${module}\0${name}`;
    let g = this.globals.get(key);
    if (!g) {
      const verdict = judgeGlobal(module, name);
      g = { module, name, allowed: verdict.allowed, count: 0 };
      this.globals.set(key, g);
      if (!verdict.allowed) {
        this.add({ severity: verdict.severity ?? 'high', kind: 'global', module, name, offset: at, message: `Imports ${module}.${name}: it ${verdict.why}.` });
      }
    }
    g.count++;
  }

  recordVersion(library: string, version: string, at: number): void {
    const had = this.versions[library];
    if (had === undefined) this.versions[library] = version;
    else if (had !== version) {
      this.add(
        { severity: 'info', kind: 'format', module: null, name: null, offset: at, message: `Parts of the file were saved by ${library} ${version}, others by ${had}; the first one seen is reported.` },
        `version:${library}:${version}`,
      );
    }
  }

  /** Adds an embedded pickle's findings and globals to this one. */
  merge(child: ScanState, prefix: string, offset: number | null, onlySerious = false): void {
    for (const f of child.list) {
      if (onlySerious && !((f.kind === 'global' || f.kind === 'embedded') && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high)) continue;
      const message = `${prefix}${f.message}${f.repeats > 1 ? ` (${f.repeats} times)` : ''}`;
      this.add({ ...f, offset: offset ?? f.offset, message });
    }
    if (child.dropped) this.add({ severity: child.droppedWorst ?? 'info', kind: 'format', module: null, name: null, offset, message: `${prefix}${child.dropped} more findings were not listed.` });
    for (const g of child.globals.values()) {
      if (onlySerious && g.allowed) continue;
      const key = `${g.module}\0${g.name}`;
      const mine = this.globals.get(key);
      if (mine) mine.count += g.count;
      else this.globals.set(key, { ...g });
    }
  }

  findings(): ScanFinding[] {
    const out: ScanFinding[] = this.list.map(({ repeats, ...f }) => (repeats > 1 ? { ...f, message: `${f.message} (${repeats} times)` } : f));
    if (this.dropped) {
      out.push({ severity: this.droppedWorst ?? 'info', kind: 'format', module: null, name: null, offset: null, message: `${this.dropped} more findings were not listed.` });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Outcomes

export type Outcome =
  /** Reached STOP. */
  | { kind: 'stop'; at: number }
  /** The stream ended before STOP. */
  | { kind: 'eof'; at: number }
  /** Something that cannot be followed: an unknown opcode, a malformed argument, protocol > 5. */
  | { kind: 'invalid'; at: number; reason: string; protocol?: number }
  /** The scan had to stop (a finding says why), e.g. a joblib array of an unknown dtype. */
  | { kind: 'lost'; at: number };

class Malformed extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly protocol?: number,
  ) {
    super(message);
  }
}

class Lost extends Error {
  constructor(readonly at: number) {
    super('lost');
  }
}

export interface VmOptions {
  /** Loaded by joblib: raw array data follows each NumpyArrayWrapper's BUILD. */
  joblibArrays: boolean;
  /** How many pickles this one is inside of. */
  depth: number;
}

// Opcodes (Lib/pickletools.py).
const OP = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, POP_MARK: 0x31, DUP: 0x32, FLOAT: 0x46, INT: 0x49, BININT: 0x4a, BININT1: 0x4b,
  LONG: 0x4c, BININT2: 0x4d, NONE: 0x4e, PERSID: 0x50, BINPERSID: 0x51, REDUCE: 0x52, STRING: 0x53, BINSTRING: 0x54,
  SHORT_BINSTRING: 0x55, UNICODE: 0x56, BINUNICODE: 0x58, APPEND: 0x61, BUILD: 0x62, GLOBAL: 0x63, DICT: 0x64,
  EMPTY_DICT: 0x7d, APPENDS: 0x65, GET: 0x67, BINGET: 0x68, INST: 0x69, LONG_BINGET: 0x6a, LIST: 0x6c, EMPTY_LIST: 0x5d,
  OBJ: 0x6f, PUT: 0x70, BINPUT: 0x71, LONG_BINPUT: 0x72, SETITEM: 0x73, TUPLE: 0x74, EMPTY_TUPLE: 0x29, SETITEMS: 0x75,
  BINFLOAT: 0x47, PROTO: 0x80, NEWOBJ: 0x81, EXT1: 0x82, EXT2: 0x83, EXT4: 0x84, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87,
  NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a, LONG4: 0x8b, BINBYTES: 0x42, SHORT_BINBYTES: 0x43, SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d, BINBYTES8: 0x8e, EMPTY_SET: 0x8f, ADDITEMS: 0x90, FROZENSET: 0x91, NEWOBJ_EX: 0x92, STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94, FRAME: 0x95, BYTEARRAY8: 0x96, NEXT_BUFFER: 0x97, READONLY_BUFFER: 0x98,
} as const;

const OP_NAMES = new Map<number, string>(Object.entries(OP).map(([k, v]) => [v, k]));

/** The protocol that introduced each opcode (0 for protocol 0 opcodes and unknown bytes). */
const OP_PROTOCOL = new Uint8Array(256);
for (const op of [OP.BININT, OP.BININT1, OP.BININT2, OP.BINSTRING, OP.SHORT_BINSTRING, OP.BINUNICODE, OP.BINFLOAT, OP.EMPTY_LIST, OP.APPENDS, OP.EMPTY_TUPLE, OP.EMPTY_DICT, OP.SETITEMS, OP.POP_MARK, OP.BINGET, OP.LONG_BINGET, OP.BINPUT, OP.LONG_BINPUT, OP.OBJ, OP.BINPERSID]) OP_PROTOCOL[op] = 1;
for (const op of [OP.PROTO, OP.NEWOBJ, OP.EXT1, OP.EXT2, OP.EXT4, OP.TUPLE1, OP.TUPLE2, OP.TUPLE3, OP.NEWTRUE, OP.NEWFALSE, OP.LONG1, OP.LONG4]) OP_PROTOCOL[op] = 2;
for (const op of [OP.BINBYTES, OP.SHORT_BINBYTES]) OP_PROTOCOL[op] = 3;
for (const op of [OP.SHORT_BINUNICODE, OP.BINUNICODE8, OP.BINBYTES8, OP.EMPTY_SET, OP.ADDITEMS, OP.FROZENSET, OP.NEWOBJ_EX, OP.STACK_GLOBAL, OP.MEMOIZE, OP.FRAME]) OP_PROTOCOL[op] = 4;
for (const op of [OP.BYTEARRAY8, OP.NEXT_BUFFER, OP.READONLY_BUFFER]) OP_PROTOCOL[op] = 5;
const opName = (op: number): string => OP_NAMES.get(op) ?? `0x${op.toString(16).padStart(2, '0')}`;

/** Opcodes a protocol 0 or 1 pickle (which has no PROTO header) can start with. */
export const PROTO01_START = new Set<number>([
  OP.MARK, OP.EMPTY_LIST, OP.EMPTY_DICT, OP.EMPTY_TUPLE, OP.GLOBAL, OP.NONE, OP.INT, OP.LONG, OP.FLOAT, OP.STRING, OP.UNICODE,
  OP.BININT, OP.BININT1, OP.BININT2, OP.BINFLOAT, OP.BINSTRING, OP.SHORT_BINSTRING, OP.BINUNICODE, OP.PERSID,
]);

/** Bytes that start like a pickle: PROTO 2-5, or an opcode a protocol 0/1 pickle starts with and a final STOP. */
function startsLikePickle(b: Uint8Array): 'proto' | 'plain' | null {
  if (b.length >= 3 && b[0] === OP.PROTO && b[1]! >= 2 && b[1]! <= HIGHEST_PROTOCOL) return 'proto';
  if (b.length >= 4 && PROTO01_START.has(b[0]!) && b[b.length - 1] === OP.STOP) return 'plain';
  return null;
}

/** The UTF-8 encoding of latin-1 text starting like a PROTO 2-5 header: C2 80, then 02-05. */
function utf8StartsLikeProto(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xc2 && b[1] === 0x80 && b[2]! >= 2 && b[2]! <= HIGHEST_PROTOCOL;
}

/** The bytes latin-1 text stands for, or null when a character is above U+00FF. */
function latin1Bytes(s: string): Buffer | null {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return null;
  return Buffer.from(s, 'latin1');
}

// Protocol 0 text arguments.

const SIMPLE_ESCAPES = new Map<string, number>([['n', 10], ['t', 9], ['r', 13], ['a', 7], ['b', 8], ['f', 12], ['v', 11], ['\\', 92], ["'", 39], ['"', 34]]);

/** Python's escape decoding of a quoted STRING argument (codecs.escape_decode). */
function unquoteString(line: Buffer, at: number): Buffer {
  const q = line[0];
  if (line.length < 2 || (q !== 0x27 && q !== 0x22) || line[line.length - 1] !== q) {
    throw new Malformed(at, 'the STRING argument is not quoted');
  }
  const src = line.subarray(1, -1);
  const out = Buffer.allocUnsafe(src.length + 1); // escapes only shrink the text
  let o = 0;
  const push = (...bytes: number[]) => {
    for (const b of bytes) out[o++] = b;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x5c || i + 1 >= src.length) {
      push(c);
      continue;
    }
    const e = String.fromCharCode(src[++i]!);
    const simple = SIMPLE_ESCAPES.get(e);
    if (simple !== undefined) push(simple);
    else if (e === '\n') continue;
    else if (e === 'x') {
      const hex = src.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Malformed(at, 'invalid \\x escape in a STRING argument');
      push(parseInt(hex, 16));
      i += 2;
    } else if (e >= '0' && e <= '7') {
      let oct = e;
      while (oct.length < 3 && i + 1 < src.length && src[i + 1]! >= 0x30 && src[i + 1]! <= 0x37) oct += String.fromCharCode(src[++i]!);
      push(parseInt(oct, 8) & 0xff);
    } else push(0x5c, src[i]!);
  }
  return out.subarray(0, o);
}

/** Python's raw-unicode-escape decoding (the UNICODE argument): \uXXXX and \UXXXXXXXX, other bytes latin-1. */
function rawUnicodeEscape(line: Buffer): string {
  const s = line.toString('latin1');
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4?: string, u8?: string) => {
    const cp = parseInt(u4 ?? u8!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : _m;
  });
}

function parseDecimal(text: string, at: number, what: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (!/^[+-]?\d+$/.test(t)) throw new Malformed(at, `the ${what} argument is not a number`);
  return BigInt(t);
}

/** Little-endian two's complement (LONG1/LONG4). */
function decodeLong(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

// ---------------------------------------------------------------------------------------------
// joblib arrays

/** What follows a NumpyArrayWrapper's BUILD in a joblib stream (joblib's NumpyArrayWrapper.read_array). */
type ArrayPlan = { kind: 'pickle' } | { kind: 'raw'; padding: boolean; bytes: number } | { kind: 'unknown'; why: string };

const FIXED_SIZES: Record<string, readonly number[]> = {
  b: [1], i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [2, 4, 8, 12, 16], c: [8, 16, 24, 32], M: [8], m: [8], O: [4, 8],
};

/** Item size and whether the dtype holds Python objects, from numpy.dtype(descr, False, True) + BUILD state. */
function dtypeInfo(v: PV | undefined): { itemsize: number; hasObject: boolean } | string {
  if (!v || v.t !== 'object' || !isGlobal(v.callee, 'numpy', 'dtype')) return `the dtype is ${v ? describe(v) : 'missing'}, not numpy.dtype(...)`;
  const args = v.args;
  const descr = args && args.t === 'tuple' ? fullStr(args.items[0]) : null;
  const m = descr ? /^([biufcmMOSUV])(\d+)$/.exec(descr) : null;
  if (!m) return `numpy.dtype(${descr === null ? '?' : JSON.stringify(descr)}) is not a dtype the scan understands`;
  const kind = m[1]!;
  const n = Number(m[2]);
  // State: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]).
  const st = v.state;
  const stItems = st && st.t === 'tuple' ? st.items : null;
  const stInt = (i: number): number | null => {
    const x = stItems?.[i];
    return x && x.t === 'int' && x.v !== null ? Number(x.v) : null;
  };
  if (st && (!stItems || stItems.length < 8)) return `numpy.dtype('${descr}') has a state the scan does not understand`;
  // numpy's __setstate__ takes the item size of flexible kinds (S, U, V) from elsize, and the
  // has-object flag of V (structured) from flags; other kinds ignore both. Anything but the values
  // numpy itself writes is refused rather than guessed.
  const elsize = stItems ? stInt(5) : -1;
  const flags = stItems ? stInt(7) : 0;
  if (elsize === null || flags === null) return `numpy.dtype('${descr}') has a state the scan does not understand`;
  const itemsize = kind === 'U' ? 4 * n : n;
  if (kind in FIXED_SIZES) {
    if (!FIXED_SIZES[kind]!.includes(n)) return `numpy.dtype('${descr}') has an item size the scan does not understand`;
  } else if (kind === 'V' && !stItems) return `numpy.dtype('${descr}') has no state`;
  if (elsize !== -1 && elsize !== itemsize) return `numpy.dtype('${descr}') has an inconsistent item size`;
  return { itemsize, hasObject: kind === 'O' || (kind === 'V' && (flags & 1) === 1) };
}

function planArray(wrapper: PObject): ArrayPlan {
  // The wrapper must have been made without running its __init__ (NEWOBJ, or copyreg._reconstructor
  // with no state), so its attributes come from the BUILD state alone.
  const args = wrapper.args?.t === 'tuple' ? wrapper.args.items : null;
  const viaNew =
    (wrapper.via === 'NEWOBJ' && args?.length === 0) ||
    (wrapper.via === 'REDUCE' && isGlobal(wrapper.callee, 'copyreg', '_reconstructor') && args?.length === 3 && args[2]!.t === 'none') ||
    (wrapper.via === 'REDUCE' && isGlobal(wrapper.callee, 'copyreg', '__newobj__') && args?.length === 1);
  if (!viaNew) return { kind: 'unknown', why: 'the array placeholder was built in an unusual way' };
  // joblib writes a plain dict; a (dict, slots) state would set attributes twice, so it is refused.
  const state = wrapper.state;
  if (!state || state.t !== 'dict' || state.more) return { kind: 'unknown', why: 'the array placeholder has no plain attribute dict' };
  const dt = dtypeInfo(dictGet(state, 'dtype'));
  if (typeof dt === 'string') return { kind: 'unknown', why: dt };
  if (dt.hasObject) return { kind: 'pickle' };
  const shape = dictGet(state, 'shape');
  if (!shape || shape.t !== 'tuple' || shape.more) return { kind: 'unknown', why: 'the array shape is not a tuple of numbers' };
  let count = 1n;
  for (const d of shape.items) {
    if (d.t !== 'int' || d.v === null || d.v < 0n) return { kind: 'unknown', why: 'the array shape is not a tuple of numbers' };
    count *= d.v;
  }
  const bytes = count * BigInt(dt.itemsize);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'unknown', why: 'the array is impossibly large' };
  // joblib >= 1.2 writes one padding-length byte and that many padding bytes first; it marks this by
  // storing numpy_array_alignment_bytes (older files lack it; unseekable outputs store None).
  const align = dictGet(state, 'numpy_array_alignment_bytes');
  return { kind: 'raw', padding: align !== undefined && align.t !== 'none', bytes: Number(bytes) };
}

// ---------------------------------------------------------------------------------------------
// The machine

/** XGBoost's raw model (UBJSON or JSON) records [major, minor, patch] under "version". */
function xgboostVersion(b: Buffer): string | null {
  if (b.length < 16 || b[0] !== 0x7b || !b.subarray(0, 64).includes('learner')) return null;
  const ubj = b.indexOf('\x07version[');
  if (ubj !== -1) {
    let i = ubj + 9;
    let count = 3;
    if (b[i] === 0x23 && b[i + 1] === 0x4c) {
      count = Number(b.readBigInt64BE(i + 2));
      i += 10;
    }
    const parts: number[] = [];
    const size: Record<string, number> = { i: 1, U: 1, I: 2, l: 4, L: 8 };
    while (parts.length < count && parts.length < 3 && i < b.length) {
      const type = String.fromCharCode(b[i]!);
      const n = size[type];
      if (!n || i + 1 + n > b.length) return null;
      parts.push(n === 1 ? (type === 'i' ? b.readInt8(i + 1) : b[i + 1]!) : n === 2 ? b.readInt16BE(i + 1) : n === 4 ? b.readInt32BE(i + 1) : Number(b.readBigInt64BE(i + 1)));
      i += 1 + n;
    }
    return parts.length === 3 ? parts.join('.') : null;
  }
  const json = /"version"\s*:\s*\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]/.exec(b.toString('latin1'));
  return json ? `${json[1]}.${json[2]}.${json[3]}` : null;
}

export class PickleVM {
  private stack: PV[] = [];
  /** Stacks saved by MARK (CPython's metastack), and how many values they hold. */
  private meta: PV[][] = [];
  private metaValues = 0;
  private readonly memo = new Map<number, PV>();
  private proto = 0;
  private at = 0;
  /** Stream offset where the current protocol 4 frame ends. */
  private frameEnd = 0;

  constructor(
    private readonly r: ByteReader,
    private readonly state: ScanState,
    private readonly opts: VmOptions,
  ) {}

  /** Runs one pickle, from its first opcode to its STOP. */
  async run(): Promise<Outcome> {
    try {
      for (;;) {
        if (this.r.buffered < 9) await this.r.fill(9);
        this.at = this.r.offset;
        const op = this.r.u8();
        if (OP_PROTOCOL[op]! > this.state.impliedProtocol) this.state.impliedProtocol = OP_PROTOCOL[op]!;
        if (!this.stepSync(op) && (await this.stepAsync(op))) return { kind: 'stop', at: this.at };
        if (this.stack.length + this.metaValues + this.meta.length > MAX_STACK || this.memo.size > MAX_MEMO) {
          this.finding('high', 'format', `The pickle holds more than ${MAX_STACK.toLocaleString('en')} values at once; the scan stops here, so the file cannot be called safe.`);
          return { kind: 'lost', at: this.at };
        }
      }
    } catch (e) {
      if (e instanceof EndOfStream) return { kind: 'eof', at: this.r.offset };
      if (e instanceof Malformed) return { kind: 'invalid', at: e.at, reason: e.message, ...(e.protocol === undefined ? {} : { protocol: e.protocol }) };
      if (e instanceof Lost) return { kind: 'lost', at: e.at };
      throw e;
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private finding(severity: ScanSeverity, kind: ScanFinding['kind'], message: string, key?: string, g?: { module: string; name: string }): void {
    this.state.add({ severity, kind, module: g?.module ?? null, name: g?.name ?? null, offset: this.at, message }, key);
  }

  private underflow(op: number): void {
    this.finding(
      'high',
      'opcode',
      `${opName(op)} at byte ${this.at} takes more values than the stack holds: a loader would fail here, and the scan cannot be sure what the file does.`,
      'underflow',
    );
  }

  private push(v: PV): void {
    this.stack.push(v);
  }

  private pop(op: number): PV {
    const v = this.stack.pop();
    if (v === undefined) {
      this.underflow(op);
      return opaque('a missing value');
    }
    return v;
  }

  private top(op: number): PV {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined) {
      this.underflow(op);
      return opaque('a missing value');
    }
    return v;
  }

  private popMark(op: number): PV[] {
    const items = this.stack;
    const outer = this.meta.pop();
    if (!outer) {
      this.underflow(op);
      this.stack = [];
      return items;
    }
    this.metaValues -= outer.length;
    this.stack = outer;
    return items;
  }

  private memoGet(i: number): void {
    const v = this.memo.get(i);
    if (v === undefined) {
      this.finding('high', 'opcode', `Reads memo slot ${i} at byte ${this.at}, which was never written: a loader would fail here, and the scan cannot follow the value.`, 'memo-miss');
      this.push(opaque(`memo slot ${i}`));
    } else this.push(v);
  }

  private memoPut(op: number, i: number): void {
    this.memo.set(i, this.top(op));
  }

  /** A string value: kept whole up to STR_KEEP characters (64 once RETAIN_BUDGET is spent). */
  private str(v: string): PV {
    const keep = this.state.retained < RETAIN_BUDGET ? STR_KEEP : 64;
    this.state.retained += Math.min(v.length, keep);
    if (v.length <= keep) return { t: 'str', v, full: true };
    // Copy the start: a plain slice would keep the whole (possibly huge) string alive.
    return { t: 'str', v: Buffer.from(v.slice(0, keep), 'utf16le').toString('utf16le'), full: false };
  }

  /** An import: GLOBAL, STACK_GLOBAL, INST, or a name _ufunc_reconstruct imports. */
  private importName(rawModule: string, rawName: string): PGlobal {
    const [module, name] = pyCompatName(rawModule, rawName, this.proto);
    this.state.addGlobal(module, name, this.at);
    return { t: 'global', module, name };
  }

  /** The class an object is an instance of, when the call that made it shows it. */
  private klassOf(callee: PV, args: PV | null, via: string): PGlobal | null {
    if (via !== 'REDUCE') return callee.t === 'global' ? callee : null;
    if (isGlobal(callee, 'copyreg', '_reconstructor') || isGlobal(callee, 'copyreg', '__newobj__') || isGlobal(callee, 'copyreg', '__newobj_ex__')) {
      const first = args?.t === 'tuple' ? args.items[0] : undefined;
      return first?.t === 'global' ? first : null;
    }
    return callee.t === 'global' ? callee : null;
  }

  /** A call of `callee` (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ): checks it and returns its symbolic result. */
  private call(op: number, callee: PV, args: PV | null): PObject {
    const via = opName(op);
    if (callee.t !== 'global') {
      this.finding(
        'high',
        'opcode',
        `${via} at byte ${this.at} calls ${describe(callee)}, not an imported name: calling what another call returned is how payloads reach functions they never import by name (getattr(module, 'system')(...)).`,
        `call:${describe(callee)}`,
      );
    } else if (via === 'REDUCE') this.checkArgs(callee, args);
    return { t: 'object', callee, args, via, klass: this.klassOf(callee, args, via), state: null };
  }

  /** Allowed callables that take a name or a class as an argument: check the argument too. */
  private checkArgs(callee: PGlobal, args: PV | null): void {
    const items = args?.t === 'tuple' ? args.items : [];
    if (callee.name === '_ufunc_reconstruct' && (callee.module === 'numpy.core' || callee.module === 'numpy._core')) {
      // _ufunc_reconstruct(module, name) imports module and returns module.name: an import by name.
      const m = fullStr(items[0]);
      const n = fullStr(items[1]);
      if (m === null || n === null) {
        this.finding('critical', 'opcode', `numpy's _ufunc_reconstruct at byte ${this.at} imports a name that is not written as text: it could import anything.`, undefined, callee);
        return;
      }
      this.importName(m, n);
      if (!NUMPY_UFUNC_MODULES.includes(m) || !NUMPY_UFUNCS.includes(n)) {
        this.finding('critical', 'global', `numpy's _ufunc_reconstruct at byte ${this.at} imports ${m}.${n}, which is not a numpy ufunc.`, `ufunc:${m}.${n}`, { module: m, name: n });
      }
    } else if (callee.module === 'copyreg' && items.length && items[0]!.t !== 'global') {
      this.finding('high', 'opcode', `copyreg.${callee.name} at byte ${this.at} creates an instance of ${describe(items[0]!)}, not of an imported class.`, 'copyreg-computed');
    }
  }

  private mutateCheck(op: number, target: PV): void {
    if (target.t === 'global') {
      this.finding(
        'high',
        'opcode',
        `${opName(op)} at byte ${this.at} changes ${target.module}.${target.name} itself (not an object made from it): a way to overwrite attributes of a class or module that other code then uses.`,
        `mutate:${target.module}.${target.name}`,
        target,
      );
    }
  }

  private setItem(op: number, target: PV, k: PV, v: PV): void {
    if (target.t === 'dict') {
      if (target.entries.length < MAX_ITEMS) target.entries.push([k, v]);
      else target.more++;
    } else this.mutateCheck(op, target);
  }

  private appendItems(op: number, target: PV, items: PV[]): void {
    if (target.t === 'list' || target.t === 'set') for (const v of items) pushItem(target, v);
    else this.mutateCheck(op, target);
  }

  private tuple(items: PV[]): PV {
    return items.length > MAX_ITEMS ? { t: 'tuple', items: items.slice(0, MAX_ITEMS), more: items.length - MAX_ITEMS } : { t: 'tuple', items, more: 0 };
  }

  // --- opcodes with no argument or a fixed-size one (all buffered by run()) --------------------

  private stepSync(op: number): boolean {
    const r = this.r;
    switch (op) {
      case OP.NONE:
        this.push(NONE);
        return true;
      case OP.NEWTRUE:
      case OP.NEWFALSE:
        this.push({ t: 'bool', v: op === OP.NEWTRUE });
        return true;
      case OP.BININT:
        this.push({ t: 'int', v: BigInt(r.i32()) });
        return true;
      case OP.BININT1:
        this.push({ t: 'int', v: BigInt(r.u8()) });
        return true;
      case OP.BININT2:
        this.push({ t: 'int', v: BigInt(r.u16()) });
        return true;
      case OP.BINFLOAT:
        this.push({ t: 'float', v: r.f64be() });
        return true;
      case OP.EMPTY_LIST:
        this.push({ t: 'list', items: [], more: 0 });
        return true;
      case OP.EMPTY_TUPLE:
        this.push({ t: 'tuple', items: [], more: 0 });
        return true;
      case OP.EMPTY_DICT:
        this.push({ t: 'dict', entries: [], more: 0 });
        return true;
      case OP.EMPTY_SET:
        this.push({ t: 'set', items: [], more: 0 });
        return true;
      case OP.MARK:
        this.meta.push(this.stack);
        this.metaValues += this.stack.length;
        this.stack = [];
        return true;
      case OP.POP:
        if (this.stack.length) this.stack.pop();
        else this.popMark(op); // CPython: POP on an empty stack discards a mark
        return true;
      case OP.POP_MARK:
        this.popMark(op);
        return true;
      case OP.DUP:
        this.push(this.top(op));
        return true;
      case OP.TUPLE:
        this.push(this.tuple(this.popMark(op)));
        return true;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = op - OP.TUPLE1 + 1;
        const items: PV[] = [];
        for (let i = 0; i < n; i++) items.unshift(this.pop(op));
        this.push(this.tuple(items));
        return true;
      }
      case OP.LIST: {
        const items = this.popMark(op);
        this.push({ t: 'list', items: items.slice(0, MAX_ITEMS), more: Math.max(0, items.length - MAX_ITEMS) });
        return true;
      }
      case OP.FROZENSET: {
        const items = this.popMark(op);
        this.push({ t: 'frozenset', items: items.slice(0, MAX_ITEMS), more: Math.max(0, items.length - MAX_ITEMS) });
        return true;
      }
      case OP.DICT: {
        const items = this.popMark(op);
        const d: PV = { t: 'dict', entries: [], more: 0 };
        for (let i = 0; i + 1 < items.length; i += 2) this.setItem(op, d, items[i]!, items[i + 1]!);
        this.push(d);
        return true;
      }
      case OP.APPEND: {
        const v = this.pop(op);
        this.appendItems(op, this.top(op), [v]);
        return true;
      }
      case OP.APPENDS: {
        const items = this.popMark(op);
        this.appendItems(op, this.top(op), items);
        return true;
      }
      case OP.ADDITEMS: {
        const items = this.popMark(op);
        this.appendItems(op, this.top(op), items);
        return true;
      }
      case OP.SETITEM: {
        const v = this.pop(op);
        const k = this.pop(op);
        this.setItem(op, this.top(op), k, v);
        return true;
      }
      case OP.SETITEMS: {
        const items = this.popMark(op);
        const target = this.top(op);
        for (let i = 0; i + 1 < items.length; i += 2) this.setItem(op, target, items[i]!, items[i + 1]!);
        return true;
      }
      case OP.BINGET:
        this.memoGet(r.u8());
        return true;
      case OP.LONG_BINGET:
        this.memoGet(r.u32());
        return true;
      case OP.BINPUT:
        this.memoPut(op, r.u8());
        return true;
      case OP.LONG_BINPUT:
        this.memoPut(op, r.u32());
        return true;
      case OP.MEMOIZE:
        this.memoPut(op, this.memo.size);
        return true;
      case OP.PROTO: {
        const p = r.u8();
        if (p > HIGHEST_PROTOCOL) throw new Malformed(this.at, `unsupported pickle protocol ${p}`, p);
        this.proto = p;
        this.state.seeProtocol(p);
        return true;
      }
      case OP.FRAME: {
        // Protocol 4 framing groups opcodes for buffered reading: the opcodes inside are read as usual,
        // but the loader has already read the whole frame (see joblibArray).
        const n = r.u64();
        this.frameEnd = r.offset + n;
        return true;
      }
      case OP.STACK_GLOBAL: {
        const name = this.pop(op);
        const module = this.pop(op);
        const m = fullStr(module);
        const n = fullStr(name);
        if (m === null || n === null) {
          this.finding(
            'high',
            'opcode',
            `STACK_GLOBAL at byte ${this.at} imports a name built from ${describe(module)} and ${describe(name)}, not written as text: the scan cannot tell what it imports.`,
            'stack-global-computed',
          );
          this.push(opaque('a computed import'));
        } else this.push(this.importName(m, n));
        return true;
      }
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4: {
        const code = op === OP.EXT1 ? r.u8() : op === OP.EXT2 ? r.u16() : r.i32();
        this.finding(
          'high',
          'opcode',
          `${opName(op)} at byte ${this.at} imports extension code ${code} from copyreg's registry: what that name is depends on the loading process, so the scan cannot check it.`,
          `ext:${code}`,
        );
        this.push(opaque(`copyreg extension ${code}`));
        return true;
      }
      case OP.BINPERSID:
        this.pop(op);
        this.persistent(op);
        return true;
      case OP.NEXT_BUFFER:
        this.finding(
          'medium',
          'opcode',
          `NEXT_BUFFER at byte ${this.at} expects out-of-band data that is not in the file: it will not load as it is, and the scan cannot see that data.`,
          'buffer',
        );
        this.push(opaque('an out-of-band buffer'));
        return true;
      case OP.READONLY_BUFFER:
        this.top(op);
        return true;
      case OP.REDUCE: {
        const args = this.pop(op);
        const callee = this.pop(op);
        this.push(this.call(op, callee, args));
        return true;
      }
      case OP.NEWOBJ: {
        const args = this.pop(op);
        const cls = this.pop(op);
        this.push(this.call(op, cls, args));
        return true;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = this.pop(op);
        const args = this.pop(op);
        const cls = this.pop(op);
        this.push(this.call(op, cls, { t: 'tuple', items: [args, kwargs], more: 0 }));
        return true;
      }
      case OP.OBJ: {
        const items = this.popMark(op);
        const cls = items.shift() ?? (this.underflow(op), opaque('a missing value'));
        this.push(this.call(op, cls, this.tuple(items)));
        return true;
      }
      case OP.SHORT_BINUNICODE:
      case OP.SHORT_BINBYTES:
      case OP.SHORT_BINSTRING: {
        // Hot path for short constants that are fully buffered and do not start like a pickle.
        if (r.buffered < 1) return false;
        const len = r.peekByteNow();
        if (r.buffered < 1 + len) return false;
        const content = r.viewNow(1, len);
        if (startsLikePickle(content) || utf8StartsLikeProto(content) || content[0] === 0x7b) return false;
        r.u8();
        const b = r.takeNow(len);
        if (op === OP.SHORT_BINBYTES) this.push({ t: 'bytes', head: Buffer.from(b.subarray(0, HEAD_KEEP)), length: len });
        else this.push(this.str(op === OP.SHORT_BINUNICODE ? b.toString('utf8') : b.toString('latin1')));
        return true;
      }
      default:
        return false;
    }
  }

  private persistent(op: number): void {
    this.finding(
      'high',
      'opcode',
      `${opName(op)} at byte ${this.at} asks the loader's persistent_load hook for an object: what that runs depends on the loader, so the scan cannot check it.`,
      'persid',
    );
    this.push(opaque('a persistent object'));
  }

  // --- opcodes with variable-length arguments --------------------------------------------------

  /** Returns true at STOP. */
  private async stepAsync(op: number): Promise<boolean> {
    const r = this.r;
    switch (op) {
      case OP.STOP:
        this.pop(op);
        return true;
      case OP.INT: {
        const { bytes, truncated } = await r.line(256);
        const line = bytes.toString('latin1');
        if (line === '00' || line === '01') this.push({ t: 'bool', v: line === '01' });
        else this.push({ t: 'int', v: truncated ? null : parseDecimal(line, this.at, 'INT') }); // null: not known exactly
        return false;
      }
      case OP.LONG: {
        const { bytes, truncated } = await r.line(4096);
        let text = bytes.toString('latin1').trim();
        if (text.endsWith('L')) text = text.slice(0, -1);
        this.push({ t: 'int', v: truncated ? null : parseDecimal(text, this.at, 'LONG') });
        return false;
      }
      case OP.LONG1:
      case OP.LONG4: {
        await r.fill(4);
        const n = op === OP.LONG1 ? r.u8() : r.i32();
        if (n < 0) throw new Malformed(this.at, 'LONG4 has a negative byte count');
        if (n > 64) {
          await r.skip(n);
          this.push({ t: 'int', v: null });
        } else this.push({ t: 'int', v: decodeLong(await r.take(n)) });
        return false;
      }
      case OP.FLOAT: {
        const text = (await r.line(256)).bytes.toString('latin1').trim();
        if (!/^[+-]?(\d[\d_]*\.?[\d_]*(e[+-]?\d+)?|\.\d[\d_]*(e[+-]?\d+)?|inf(inity)?|nan)$/i.test(text)) {
          throw new Malformed(this.at, 'the FLOAT argument is not a number');
        }
        this.push({ t: 'float', v: Number(text.replace(/_/g, '')) });
        return false;
      }
      case OP.GET:
        this.memoGet(Number(parseDecimal((await r.line(64)).bytes.toString('latin1'), this.at, 'GET')));
        return false;
      case OP.PUT: {
        const i = Number(parseDecimal((await r.line(64)).bytes.toString('latin1'), this.at, 'PUT'));
        if (i < 0) throw new Malformed(this.at, 'negative PUT argument');
        this.memoPut(op, i);
        return false;
      }
      case OP.GLOBAL: {
        const module = await this.nameLine();
        const name = await this.nameLine();
        this.push(this.importName(module, name));
        return false;
      }
      case OP.INST: {
        // INST module\nname\n imports a name and calls it with the values since MARK.
        const module = await this.nameLine();
        const name = await this.nameLine();
        const cls = this.importName(module, name);
        this.push(this.call(op, cls, this.tuple(this.popMark(op))));
        return false;
      }
      case OP.PERSID:
        await r.line(4096);
        this.persistent(op);
        return false;
      case OP.BUILD:
        await this.build();
        return false;
      // Text and bytes constants.
      case OP.STRING: {
        const { bytes, truncated, length } = await r.line(HOLD);
        if (truncated) {
          await this.bigLine(bytes, length, 'STRING');
          return false;
        }
        const data = unquoteString(bytes, this.at);
        await this.heldConstant(data, 'bytes-as-str');
        return false;
      }
      case OP.UNICODE: {
        const { bytes, truncated, length } = await r.line(HOLD);
        if (truncated) {
          await this.bigLine(bytes, length, 'UNICODE');
          return false;
        }
        const text = rawUnicodeEscape(bytes);
        await this.heldText(text);
        return false;
      }
      case OP.SHORT_BINSTRING:
      case OP.BINSTRING: {
        await r.fill(4);
        const n = op === OP.SHORT_BINSTRING ? r.u8() : r.i32();
        if (n < 0) throw new Malformed(this.at, 'BINSTRING has a negative length');
        await this.binaryConstant(n, 'bytes-as-str');
        return false;
      }
      case OP.SHORT_BINBYTES:
      case OP.BINBYTES:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: {
        await r.fill(8);
        const n = op === OP.SHORT_BINBYTES ? r.u8() : op === OP.BINBYTES ? r.u32() : r.u64();
        await this.binaryConstant(n, op === OP.BYTEARRAY8 ? 'bytearray' : 'bytes');
        return false;
      }
      case OP.SHORT_BINUNICODE:
      case OP.BINUNICODE:
      case OP.BINUNICODE8: {
        await r.fill(8);
        const n = op === OP.SHORT_BINUNICODE ? r.u8() : op === OP.BINUNICODE ? r.u32() : r.u64();
        await this.utf8Constant(n);
        return false;
      }
      default:
        throw new Malformed(this.at, `unknown opcode ${opName(op)}`);
    }
  }

  /** A module or name line of GLOBAL/INST. */
  private async nameLine(): Promise<string> {
    const { bytes, truncated } = await this.r.line(4096);
    if (truncated) throw new Malformed(this.at, 'an imported name is longer than 4096 bytes');
    return bytes.toString('utf8');
  }

  /** BINBYTES, BINSTRING, BYTEARRAY8… of n bytes. */
  private async binaryConstant(n: number, as: 'bytes' | 'bytes-as-str' | 'bytearray'): Promise<void> {
    if (n <= HOLD) {
      await this.heldConstant(await this.r.take(n), as);
      return;
    }
    const head = Buffer.from(await this.r.peek(HEAD_KEEP));
    if (startsLikePickle(head) === 'proto') await this.embedded(n, 'bytes');
    else await this.r.skip(n);
    this.push(as === 'bytes-as-str' ? { t: 'str', v: head.toString('latin1'), full: false } : { t: 'bytes', head, length: n });
  }

  /** BINUNICODE of n UTF-8 bytes. */
  private async utf8Constant(n: number): Promise<void> {
    if (n <= HOLD) {
      await this.heldText((await this.r.take(n)).toString('utf8'));
      return;
    }
    const head = Buffer.from(await this.r.peek(HEAD_KEEP));
    if (utf8StartsLikeProto(head)) await this.embedded(n, 'latin1-text');
    else await this.r.skip(n);
    this.push({ t: 'str', v: head.toString('utf8'), full: false });
  }

  /** A bytes constant held in memory: check it for a pickle inside and an XGBoost version. */
  private async heldConstant(b: Buffer, as: 'bytes' | 'bytes-as-str' | 'bytearray'): Promise<void> {
    const at = this.at;
    const version = xgboostVersion(b);
    if (version) this.state.recordVersion('xgboost', version, at);
    if (startsLikePickle(b)) await scanEmbedded(ByteReader.of(Buffer.from(b)), this.state, at, this.opts.depth, startsLikePickle(b)!);
    this.push(as === 'bytes-as-str' ? this.str(b.toString('latin1')) : { t: 'bytes', head: Buffer.from(b.subarray(0, HEAD_KEEP)), length: b.length });
  }

  /** A text constant held in memory: protocols 0-2 store bytes as latin-1 text, so check it the same way. */
  private async heldText(text: string): Promise<void> {
    const at = this.at;
    if (text.length >= 3 && text.length <= HOLD) {
      const c0 = text.charCodeAt(0);
      const maybe = c0 === OP.PROTO || c0 === 0x7b || (PROTO01_START.has(c0) && text.endsWith('.'));
      const bytes = maybe ? latin1Bytes(text) : null;
      if (bytes) {
        const version = xgboostVersion(bytes);
        if (version) this.state.recordVersion('xgboost', version, at);
        const kind = startsLikePickle(bytes);
        if (kind) await scanEmbedded(ByteReader.of(bytes), this.state, at, this.opts.depth, kind);
      }
    }
    this.push(this.str(text));
  }

  /** A protocol 0 text line too long to hold: only its start was kept. */
  private async bigLine(head: Buffer, length: number, what: 'STRING' | 'UNICODE'): Promise<void> {
    // Decode the first characters as the loader would (escapes included) and look for a PROTO header.
    let start: Buffer | null = null;
    try {
      const h = head.subarray(0, 40);
      start = what === 'UNICODE' ? latin1Bytes(rawUnicodeEscape(h)) : unquoteString(Buffer.concat([h, h.subarray(0, 1)]), this.at);
    } catch {
      start = null; // an escape cut in the middle: only the first bytes matter, and they did not decode
    }
    if (start && start[0] === OP.PROTO && start[1]! >= 2 && start[1]! <= HIGHEST_PROTOCOL) {
      this.finding(
        'high',
        'embedded',
        `A ${length}-byte ${what} constant at byte ${this.at} starts like a pickle but is too large for the scan to follow; whatever it holds was not checked.`,
        'big-line',
      );
    }
    this.push({ t: 'str', v: head.subarray(0, 256).toString('latin1'), full: false });
  }

  /** Scans a large constant of n bytes as a pickle without holding it. */
  private async embedded(n: number, encoding: 'bytes' | 'latin1-text'): Promise<void> {
    const at = this.at;
    const slice = this.r.slice(n);
    const source = encoding === 'bytes' ? slice.source : latin1FromUtf8(slice.source);
    await scanEmbedded(new ByteReader(source), this.state, at, this.opts.depth, 'proto');
    await this.r.skip(slice.left());
  }

  private async build(): Promise<void> {
    const op = OP.BUILD;
    const state = this.pop(op);
    const target = this.top(op);
    if (target.t === 'global') {
      this.finding(
        'high',
        'opcode',
        `BUILD at byte ${this.at} sets state on ${target.module}.${target.name} itself, not on an object made from it: a way to overwrite a class's attributes or call its __setstate__ with chosen arguments.`,
        `build-global:${target.module}.${target.name}`,
        target,
      );
      return;
    }
    if (target.t !== 'object') return;
    target.state = state;
    const dict = stateDict(state);
    const v = fullStr(dictGet(dict, '_sklearn_version'));
    if (v) this.state.recordVersion('scikit-learn', v, this.at);
    if (this.opts.joblibArrays && isGlobal(target.klass, 'joblib.numpy_pickle', 'NumpyArrayWrapper')) await this.joblibArray(target);
  }

  /**
   * joblib's NumpyUnpickler reads the array right after the wrapper's BUILD, from the same stream:
   * raw bytes for plain dtypes, a nested pickle for object dtypes (which may hide a payload).
   */
  private async joblibArray(wrapper: PObject): Promise<void> {
    this.state.joblibArrays = true;
    if (this.frameEnd > this.r.offset) {
      // joblib reads array data from the file, after the frame the unpickler already buffered, and
      // the opcodes left in the frame come after it: two cursors. joblib itself always ends the
      // frame before an array, so this only happens in a crafted file.
      this.finding(
        'high',
        'format',
        `The joblib array at byte ${this.at} starts inside a pickle frame that has ${this.frameEnd - this.r.offset} more bytes: joblib would read the data from after the frame, so the scan cannot follow the file, which therefore is not called safe.`,
      );
      throw new Lost(this.at);
    }
    const plan = planArray(wrapper);
    if (plan.kind === 'unknown') {
      this.finding(
        'high',
        'format',
        `The scan cannot follow the joblib array at byte ${this.at} (${plan.why}), so it cannot read the rest of the file, which therefore is not called safe.`,
      );
      throw new Lost(this.at);
    }
    if (plan.kind === 'raw') {
      if (plan.padding) {
        await this.r.fill(1);
        await this.r.skip(this.r.u8());
      }
      await this.r.skip(plan.bytes);
    } else {
      // pickle.load(file) on the same stream: a fresh unpickler (own memo), not joblib's.
      const nested = await new PickleVM(this.r, this.state, { joblibArrays: false, depth: this.opts.depth }).run();
      if (nested.kind === 'eof') throw new EndOfStream();
      if (nested.kind === 'invalid') throw new Malformed(nested.at, `in the object array at byte ${this.at}: ${nested.reason}`, nested.protocol);
      if (nested.kind === 'lost') throw new Lost(nested.at);
    }
    this.stack[this.stack.length - 1] = opaque('a numpy array');
  }
}

// ---------------------------------------------------------------------------------------------
// Pickles in sequence, and pickles inside constants

/** Scans the pickles that follow a STOP until the end of the stream: appended pickles or other data. */
export async function scanRest(r: ByteReader, state: ScanState, opts: VmOptions, where = ''): Promise<void> {
  while (!(await r.atEnd())) {
    const at = r.offset;
    const child = new ScanState();
    const out = await new PickleVM(r, child, opts).run();
    if (out.kind === 'stop') {
      state.add({
        severity: 'high',
        kind: 'opcode',
        module: null,
        name: null,
        offset: at,
        message: `${where}A second pickle starts at byte ${at}, after the first one's STOP: a loader that reads on, or another tool, would run it.`,
      });
      state.merge(child, `${where}In the pickle appended at byte ${at}: `, null);
      if (child.protocol !== null) state.seeProtocol(child.protocol);
      continue;
    }
    await r.drain();
    const rest = r.offset - at;
    state.add(
      {
        severity: 'medium',
        kind: 'format',
        module: null,
        name: null,
        offset: at,
        message: `${where}${rest} bytes of data follow the pickle's STOP at byte ${at} and are not a pickle: an odd thing for a model file to carry.`,
      },
    );
    state.merge(child, `${where}In the data after STOP at byte ${at}: `, null, true);
    return;
  }
}

/**
 * Scans a constant that starts like a pickle. A pickle that parses (or a damaged one that still
 * imports something dangerous) is reported as an 'embedded' finding with the worst severity inside,
 * followed by its own findings.
 */
async function scanEmbedded(r: ByteReader, state: ScanState, at: number, depth: number, kind: 'proto' | 'plain'): Promise<void> {
  if (depth + 1 > MAX_DEPTH) {
    state.add(
      { severity: 'high', kind: 'embedded', module: null, name: null, offset: at, message: `A constant at byte ${at} holds pickles nested more than ${MAX_DEPTH} deep; the scan did not follow them.` },
      'too-deep',
    );
    return;
  }
  const child = new ScanState();
  const opts: VmOptions = { joblibArrays: false, depth: depth + 1 };
  const out = await new PickleVM(r, child, opts).run();
  const parsed = out.kind === 'stop';
  if (parsed) await scanRest(r, child, opts);
  // Data that merely starts like a pickle is common (array bytes): report it only when it is one.
  if (!parsed && !child.hasSerious()) return;
  if (kind === 'plain' && child.globals.size === 0) return;
  const worst = child.worst();
  const bad = [...child.globals.values()].filter((g) => !g.allowed);
  const named = bad[0] ?? null;
  const severity: ScanSeverity = parsed ? (worst && SEVERITY_RANK[worst] >= SEVERITY_RANK.low ? worst : 'info') : 'high';
  const what = bad.length ? `it imports ${bad.map((g) => `${g.module}.${g.name}`).join(', ')}` : 'it imports only allowed names';
  state.add({
    severity,
    kind: 'embedded',
    module: named?.module ?? null,
    name: named?.name ?? null,
    offset: at,
    message: `A constant at byte ${at} is ${parsed ? 'a' : 'a damaged'} pickle of its own (protocol ${child.protocol ?? '0/1'}); ${what}. Anything that unpickles it runs that.`,
  });
  state.merge(child, `In the pickle embedded at byte ${at}: `, at, !parsed);
}
