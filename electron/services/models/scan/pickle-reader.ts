// A forward-only reader over a stream of bytes, for the pickle scanner.
//
// It holds at most what one read asks for plus one incoming chunk: large values are skipped or
// streamed (slice), never buffered whole, so a 1 GB artifact is scanned in constant memory.
// Reads of a few bytes are synchronous once fill() made them available, which keeps the opcode
// loop fast.

/** The stream ended inside something being read (a truncated file, or the end of a constant). */
export class EndOfStream extends Error {
  constructor() {
    super('The data ends early.');
    this.name = 'EndOfStream';
  }
}

const EMPTY = Buffer.alloc(0);

async function* once(bytes: Uint8Array): AsyncGenerator<Buffer> {
  yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class ByteReader {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  static of(bytes: Uint8Array): ByteReader {
    return new ByteReader(once(bytes));
  }

  /** Offset of the next byte in the stream. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes readable now without waiting. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** Waits until `n` bytes are buffered; false when the stream ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.length === 0) continue;
      const rest = this.buf.length - this.pos;
      this.base += this.pos;
      this.buf = rest === 0 ? chunk : Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    }
    return true;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  private need(n: number): void {
    if (this.buf.length - this.pos < n) throw new EndOfStream();
  }

  // Synchronous fixed-size reads: call fill() first.
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** An unsigned 64-bit length; beyond 2^53 it is only ever compared, so precision does not matter. */
  u64(): number {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }
  f64be(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** The next byte, already buffered, without consuming it. */
  peekByteNow(): number {
    this.need(1);
    return this.buf[this.pos]!;
  }

  /** `n` buffered bytes starting `skip` bytes ahead, without consuming them. */
  viewNow(skip: number, n: number): Buffer {
    this.need(skip + n);
    return this.buf.subarray(this.pos + skip, this.pos + skip + n);
  }

  /** `n` buffered bytes, consumed (see take). */
  takeNow(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next `n` bytes without consuming them (n small); fewer at the end of the stream. */
  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.buf.subarray(this.pos, this.pos + Math.min(n, this.buffered));
  }

  /** Reads `n` bytes into memory (callers bound n). The result may share memory with the buffer: copy to keep it. */
  async take(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new EndOfStream();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Discards `n` bytes, a chunk at a time. */
  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill(1))) throw new EndOfStream();
      const k = Math.min(this.buffered, left);
      this.pos += k;
      left -= k;
      if (this.buffered === 0) {
        // Drop the consumed chunk so a long skip holds no memory.
        this.base += this.pos;
        this.buf = EMPTY;
        this.pos = 0;
      }
    }
  }

  /** Discards everything up to the end of the stream; returns how many bytes that was. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.fill(1)) {
      n += this.buffered;
      this.base += this.buf.length;
      this.buf = EMPTY;
      this.pos = 0;
    }
    return n;
  }

  /**
   * Reads through the next newline (consumed, not returned). Keeps at most `max` bytes of the line;
   * `length` is the whole line's.
   */
  async line(max: number): Promise<{ bytes: Buffer; length: number; truncated: boolean }> {
    const kept: Buffer[] = [];
    let keptLength = 0;
    let length = 0;
    for (;;) {
      if (this.buffered === 0 && !(await this.fill(1))) throw new EndOfStream();
      const nl = this.buf.indexOf(10, this.pos);
      const end = nl === -1 ? this.buf.length : nl;
      const piece = this.buf.subarray(this.pos, end);
      length += piece.length;
      if (keptLength < max) {
        const part = piece.subarray(0, max - keptLength);
        kept.push(Buffer.from(part));
        keptLength += part.length;
      }
      this.pos = nl === -1 ? end : nl + 1;
      if (nl !== -1) break;
    }
    return { bytes: Buffer.concat(kept), length, truncated: length > keptLength };
  }

  /**
   * The next `n` bytes as a separate stream (for scanning a large constant as a pickle of its own
   * without holding it). Bytes the consumer does not pull stay here: skip(left()) afterwards.
   */
  slice(n: number): { source: AsyncGenerator<Buffer>; left: () => number } {
    let left = n;
    const gen = async function* (this: ByteReader): AsyncGenerator<Buffer> {
      while (left > 0) {
        if (this.buffered === 0 && !(await this.fill(1))) throw new EndOfStream();
        const k = Math.min(this.buffered, left);
        const out = this.buf.subarray(this.pos, this.pos + k);
        this.pos += k;
        left -= k;
        yield out;
      }
    }.call(this);
    return { source: gen, left: () => left };
  }
}

/**
 * Turns UTF-8 text whose characters are all below U+0100 back into the bytes they stand for:
 * protocols 0-2 store bytes as latin-1 text (_codecs.encode(text, 'latin1')). Stops at the first
 * character above U+00FF, where the loader's encode would fail too.
 */
export async function* latin1FromUtf8(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = -1;
  for await (const chunk of source) {
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let o = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (carry !== -1) {
        if ((b & 0xc0) !== 0x80) return;
        out[o++] = ((carry & 0x1f) << 6) | (b & 0x3f);
        carry = -1;
      } else if (b < 0x80) {
        out[o++] = b;
      } else if (b === 0xc2 || b === 0xc3) {
        carry = b;
      } else {
        if (o) yield out.subarray(0, o);
        return;
      }
    }
    if (o) yield out.subarray(0, o);
  }
}
