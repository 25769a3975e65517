/**
 * A streaming, synchronous reader of block IO traces, in two CSV formats:
 *
 * - **MSR Cambridge** (Narayanan, Donnelly, Rowstron, "Write off-loading", FAST 2008; SNIA IOTTA
 *   trace set): `Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime`, no header (an
 *   optional header line starting with `Timestamp` is skipped). Timestamp is a Windows
 *   filetime (100 ns units); Type is `Read` or `Write`; Offset and Size are bytes. Times are
 *   taken relative to the first record of the file (with a disk filter, still the file's first
 *   record, so disks replayed from one file stay in step). Hostname and ResponseTime are not used.
 * - **plain CSV**: a header naming the columns `time_<unit>` (unit `ns`, `us`, `ms` or `s`),
 *   `op`, `offset`, `size` in any order, then one request per line. The time is a decimal
 *   number without sign or exponent in the header's unit, measured from the start of the
 *   replay (so a trace may begin with a gap); `op` is `read`, `write` or `trim`; offset and
 *   size are bytes. A bare `time` column is refused: the unit must be said.
 *
 * Both: times must not decrease from one record to the next; blank lines are skipped; a line
 * may end in CRLF; words (Read, write, ...) are matched ignoring case. A bad line stops the
 * reader with `TraceFormatError` (`trace.csv:17: Size "abc" is not a non-negative integer`).
 *
 * Why synchronous: the simulation runs synchronously inside `env.run`, so the reader cannot
 * await a stream. It reads fixed-size chunks with `fs.readSync` (opening the file for each
 * chunk, so no descriptor stays open when a run stops early), splits lines itself and parses
 * fields straight from the bytes (no string per line). It keeps at most `windowRecords`
 * parsed records ahead (a ring of typed arrays) plus one chunk of raw text, whatever the
 * length of the trace.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { IoOp } from '../block/io-request.ts';

export type TraceFormat = 'msr' | 'csv';

export interface TraceReaderOptions {
  /** `auto` (default): a first line starting with a digit or `Timestamp` means MSR, any other line is a plain CSV header. */
  readonly format?: TraceFormat | 'auto';
  /** MSR only: keep only records of this DiskNumber. */
  readonly disk?: number;
  /** Most parsed records kept ahead of the consumer (default 1024). */
  readonly windowRecords?: number;
  /** Bytes read per chunk, also the longest line allowed (default 64 KiB). */
  readonly chunkBytes?: number;
}

/** A malformed trace line: the message starts with `file:line:`. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

const MSR_FIELDS = ['Timestamp', 'Hostname', 'DiskNumber', 'Type', 'Offset', 'Size', 'ResponseTime'] as const;
const MSR_TIMESTAMP = 0;
const MSR_DISK = 2;
const MSR_TYPE = 3;
const MSR_OFFSET = 4;
const MSR_SIZE = 5;
const CSV_TIME_UNITS: Readonly<Record<string, number>> = { time_ns: 1, time_us: 1e3, time_ms: 1e6, time_s: 1e9 };
const CSV_ALLOWED = 'columns time_<unit> (unit ns, us, ms or s), op, offset and size, in any order, e.g. "time_us,op,offset,size"';
const MAX_FIELDS = 16;
const NEWLINE = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
/** Time values keep at most this many fractional digits (beyond them: far below 1 ns). */
const MAX_FRACTION_DIGITS = 15;

export class TraceReader {
  readonly file: string;
  readonly format: TraceFormat;
  /** Most records ever buffered ahead: the window bound. */
  readonly windowRecords: number;

  // ---- the current record (valid after next() returned true) ----
  /** Time from the trace's origin, ns (unscaled). */
  timeNs = 0;
  op: IoOp = IoOp.Read;
  offsetBytes = 0;
  sizeBytes = 0;
  /** MSR DiskNumber (−1 for plain CSV). */
  disk = -1;
  /** Line of the file the record came from (1-based). */
  line = 0;

  /** Records dropped by the disk filter so far. */
  skipped = 0;
  /** High-water mark of buffered records (for tests of the memory bound). */
  maxBuffered = 0;
  /** Bytes read from the file so far. */
  bytesRead = 0;

  private readonly diskFilter: number;
  // Ring of parsed records ahead of the consumer.
  private readonly ringTime: Float64Array;
  private readonly ringOffset: Float64Array;
  private readonly ringSize: Float64Array;
  private readonly ringDisk: Float64Array;
  private readonly ringLine: Float64Array;
  private readonly ringOp: Uint8Array;
  private ringHead = 0;
  private ringCount = 0;
  // Raw text: bytes [bufStart, bufEnd) of `buf` are read but not yet split into lines.
  private readonly buf: Buffer;
  private bufStart = 0;
  private bufEnd = 0;
  private filePosition = 0;
  private endOfFile = false;
  private lineNumber = 0;
  private lineStart = 0;
  private lineEnd = 0;
  private readonly fieldStart = new Int32Array(MAX_FIELDS);
  private readonly fieldEnd = new Int32Array(MAX_FIELDS);
  private fieldCount = 0;
  /** Bounds of the last field passed to `trimmed`. */
  private scratchStart = 0;
  private scratchEnd = 0;
  private previousTimeNs = 0;
  // MSR: the first record's filetime, split as high * 1e9 + low so that neither loses digits.
  private originHigh = NaN;
  private originLow = 0;
  // Plain CSV: column of each field, and the time unit.
  private csvNames: string[] = [];
  private csvTime = -1;
  private csvOp = -1;
  private csvOffset = -1;
  private csvSize = -1;
  private csvTimeUnitNs = 1;

  /** Opens `file` and reads its first line (header or first record) to settle the format. */
  constructor(file: string, options: TraceReaderOptions = {}) {
    this.file = file;
    const window = options.windowRecords ?? 1024;
    const chunk = options.chunkBytes ?? 64 * 1024;
    if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`windowRecords ${window} must be an integer >= 1`);
    if (!(Number.isInteger(chunk) && chunk >= 64)) throw new RangeError(`chunkBytes ${chunk} must be an integer >= 64`);
    if (options.disk !== undefined && !(Number.isInteger(options.disk) && options.disk >= 0)) throw new RangeError(`disk ${options.disk} must be an integer >= 0`);
    this.windowRecords = window;
    this.ringTime = new Float64Array(window);
    this.ringOffset = new Float64Array(window);
    this.ringSize = new Float64Array(window);
    this.ringDisk = new Float64Array(window);
    this.ringLine = new Float64Array(window);
    this.ringOp = new Uint8Array(window);
    this.buf = Buffer.alloc(chunk);
    this.diskFilter = options.disk ?? -1;

    if (!this.nextLine()) throw new TraceFormatError(file, 1, 'the trace is empty; allowed: MSR Cambridge records, or a plain CSV header "time_us,op,offset,size" and records');
    const first = this.splitFields() > 0 ? this.fieldText(0).trim().toLowerCase() : '';
    const requested = options.format ?? 'auto';
    // A header other than MSR's means plain CSV; a record (starting with a digit) means MSR.
    const looksCsv = first !== '' && first !== 'timestamp' && !(first.charCodeAt(0) >= ZERO && first.charCodeAt(0) <= NINE);
    this.format = requested === 'auto' ? (looksCsv ? 'csv' : 'msr') : requested;
    if (this.format === 'csv' && options.disk !== undefined) throw new RangeError('a disk filter applies only to MSR traces (plain CSV has no disk column)');
    if (this.format === 'csv') {
      this.readCsvHeader();
    } else if (first !== 'timestamp') {
      this.pushParsedLine(); // no header: the first line is a record
    }
  }

  /** Records parsed and waiting. */
  get buffered(): number {
    return this.ringCount;
  }

  /** Advances to the next record (fields `timeNs`, `op`, ...). False at the end of the trace. */
  next(): boolean {
    if (this.ringCount === 0) this.fill();
    if (this.ringCount === 0) return false;
    const i = this.ringHead;
    this.timeNs = this.ringTime[i]!;
    this.op = this.ringOp[i]! as IoOp;
    this.offsetBytes = this.ringOffset[i]!;
    this.sizeBytes = this.ringSize[i]!;
    this.disk = this.ringDisk[i]!;
    this.line = this.ringLine[i]!;
    this.ringHead = i + 1 === this.windowRecords ? 0 : i + 1;
    this.ringCount--;
    return true;
  }

  /** A TraceFormatError for the current record's line (for consumers that find it unusable). */
  errorAtRecord(problem: string): TraceFormatError {
    return new TraceFormatError(this.file, this.line, problem);
  }

  /** Parses lines until the window is full or the file ends. */
  private fill(): void {
    while (this.ringCount < this.windowRecords && this.nextLine()) {
      this.splitFields();
      this.pushParsedLine();
    }
  }

  // ---- lines ----

  /** Finds the next non-blank line; sets lineStart/lineEnd (without CR). False at the end of the file. */
  private nextLine(): boolean {
    for (;;) {
      let newline = this.buf.indexOf(NEWLINE, this.bufStart);
      if (newline >= this.bufEnd) newline = -1;
      let end: number;
      if (newline >= 0) {
        end = newline;
      } else if (!this.endOfFile) {
        this.readChunk();
        continue;
      } else if (this.bufStart < this.bufEnd) {
        end = this.bufEnd; // last line, no newline
      } else {
        return false;
      }
      this.lineNumber++;
      this.lineStart = this.bufStart;
      this.lineEnd = end > this.bufStart && this.buf[end - 1] === CR ? end - 1 : end;
      this.bufStart = newline >= 0 ? newline + 1 : end;
      if (!this.isBlankLine()) return true;
    }
  }

  private isBlankLine(): boolean {
    for (let i = this.lineStart; i < this.lineEnd; i++) {
      const c = this.buf[i]!;
      if (c !== SPACE && c !== TAB) return false;
    }
    return true;
  }

  /** Moves the unread tail to the front of the buffer and fills the rest from the file. */
  private readChunk(): void {
    const pending = this.bufEnd - this.bufStart;
    if (pending === this.buf.length) {
      throw new TraceFormatError(this.file, this.lineNumber + 1, `line is longer than ${this.buf.length} bytes; allowed: lines up to ${this.buf.length} bytes`);
    }
    if (this.bufStart > 0) this.buf.copy(this.buf, 0, this.bufStart, this.bufEnd);
    this.bufStart = 0;
    this.bufEnd = pending;
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      throw new Error(`cannot read trace "${this.file}": ${(error as Error).message}`);
    }
    let count: number;
    try {
      count = readSync(fd, this.buf, this.bufEnd, this.buf.length - this.bufEnd, this.filePosition);
    } finally {
      closeSync(fd);
    }
    if (count === 0) this.endOfFile = true;
    this.filePosition += count;
    this.bytesRead += count;
    this.bufEnd += count;
  }

  // ---- fields ----

  /** Splits the current line at commas; returns the field count. */
  private splitFields(): number {
    let count = 0;
    let start = this.lineStart;
    for (let i = this.lineStart; i <= this.lineEnd; i++) {
      if (i === this.lineEnd || this.buf[i] === COMMA) {
        if (count < MAX_FIELDS) {
          this.fieldStart[count] = start;
          this.fieldEnd[count] = i;
        }
        count++;
        start = i + 1;
      }
    }
    this.fieldCount = count;
    return count;
  }

  private fieldText(k: number): string {
    return this.buf.toString('latin1', this.fieldStart[k]!, this.fieldEnd[k]!);
  }

  /** Sets scratchStart/scratchEnd to field k's bounds without surrounding spaces and tabs. */
  private trimmed(k: number): void {
    let s = this.fieldStart[k]!;
    let e = this.fieldEnd[k]!;
    while (s < e && (this.buf[s] === SPACE || this.buf[s] === TAB)) s++;
    while (e > s && (this.buf[e - 1] === SPACE || this.buf[e - 1] === TAB)) e--;
    this.scratchStart = s;
    this.scratchEnd = e;
  }

  /** Digits of bytes [s, e) as a number, or −1 when [s, e) is empty or holds a non-digit. */
  private digits(s: number, e: number): number {
    if (s >= e) return -1;
    let value = 0;
    for (let i = s; i < e; i++) {
      const c = this.buf[i]!;
      if (c < ZERO || c > NINE) return -1;
      value = value * 10 + (c - ZERO);
    }
    return value;
  }

  /** Field k as a non-negative safe integer, or a TraceFormatError naming the field. */
  private integerField(k: number, name: string): number {
    this.trimmed(k);
    const value = this.digits(this.scratchStart, this.scratchEnd);
    if (value < 0) throw this.lineError(`${name} "${this.fieldText(k)}" is not a non-negative integer`);
    if (!Number.isSafeInteger(value)) throw this.lineError(`${name} "${this.fieldText(k)}" is too large; allowed: integers up to 2^53 - 1`);
    return value;
  }

  /** Whether the field last passed to `trimmed` equals `word` (lower-case ASCII letters), ignoring case. */
  private trimmedIs(word: string): boolean {
    if (this.scratchEnd - this.scratchStart !== word.length) return false;
    for (let i = 0; i < word.length; i++) {
      if ((this.buf[this.scratchStart + i]! | 0x20) !== word.charCodeAt(i)) return false;
    }
    return true;
  }

  private lineError(problem: string): TraceFormatError {
    return new TraceFormatError(this.file, this.lineNumber, problem);
  }

  // ---- records ----

  /** Parses the current (split) line into the ring, unless the disk filter drops it. */
  private pushParsedLine(): void {
    if (this.format === 'msr') this.parseMsr();
    else this.parseCsv();
  }

  private parseMsr(): void {
    if (this.fieldCount !== MSR_FIELDS.length) {
      throw this.lineError(`expected ${MSR_FIELDS.length} fields (${MSR_FIELDS.join(',')}), got ${this.fieldCount}`);
    }
    // Timestamp: up to 20 digits, beyond 2^53: split into the high digits and the last 9.
    this.trimmed(MSR_TIMESTAMP);
    const s = this.scratchStart;
    const e = this.scratchEnd;
    const split = Math.max(s, e - 9);
    const high = split > s ? this.digits(s, split) : 0;
    const low = this.digits(split, e);
    if (high < 0 || low < 0 || e - s > 20) {
      throw this.lineError(`Timestamp "${this.fieldText(MSR_TIMESTAMP)}" is not a Windows filetime (a non-negative integer of 100 ns units)`);
    }
    if (Number.isNaN(this.originHigh)) {
      this.originHigh = high;
      this.originLow = low;
    }
    const ticks = (high - this.originHigh) * 1e9 + (low - this.originLow);
    this.checkTimeOrder(ticks * 100, `Timestamp ${this.fieldText(MSR_TIMESTAMP).trim()}`);
    const disk = this.integerField(MSR_DISK, 'DiskNumber');
    this.trimmed(MSR_TYPE);
    let op: IoOp;
    if (this.trimmedIs('read')) op = IoOp.Read;
    else if (this.trimmedIs('write')) op = IoOp.Write;
    else throw this.lineError(`Type "${this.fieldText(MSR_TYPE)}" is not Read or Write`);
    const offset = this.integerField(MSR_OFFSET, 'Offset');
    const size = this.integerField(MSR_SIZE, 'Size');
    if (this.diskFilter >= 0 && disk !== this.diskFilter) {
      this.skipped++;
      return;
    }
    this.push(ticks * 100, op, offset, size, disk);
  }

  private parseCsv(): void {
    if (this.fieldCount !== this.csvNames.length) {
      throw this.lineError(`expected ${this.csvNames.length} fields (${this.csvNames.join(',')}), got ${this.fieldCount}`);
    }
    const timeNs = this.csvTimeField();
    this.checkTimeOrder(timeNs, `${this.csvNames[this.csvTime]} ${this.fieldText(this.csvTime).trim()}`);
    this.trimmed(this.csvOp);
    let op: IoOp;
    if (this.trimmedIs('read')) op = IoOp.Read;
    else if (this.trimmedIs('write')) op = IoOp.Write;
    else if (this.trimmedIs('trim')) op = IoOp.Trim;
    else throw this.lineError(`op "${this.fieldText(this.csvOp)}" is not read, write or trim`);
    const offset = this.integerField(this.csvOffset, 'offset');
    const size = this.integerField(this.csvSize, 'size');
    this.push(timeNs, op, offset, size, -1);
  }

  /** The CSV time field in ns: a decimal number without sign or exponent, in the header's unit. */
  private csvTimeField(): number {
    const k = this.csvTime;
    this.trimmed(k);
    const s = this.scratchStart;
    const e = this.scratchEnd;
    let dot = -1;
    for (let i = s; i < e; i++) {
      if (this.buf[i] === DOT) {
        dot = i;
        break;
      }
    }
    const wholeEnd = dot < 0 ? e : dot;
    const whole = dot === s ? 0 : this.digits(s, wholeEnd);
    const fractionEnd = dot < 0 ? e : Math.min(e, dot + 1 + MAX_FRACTION_DIGITS);
    const fraction = dot < 0 || dot + 1 === e ? 0 : this.digits(dot + 1, fractionEnd);
    const restOk = dot < 0 || fractionEnd === e || this.digits(fractionEnd, e) >= 0;
    if (whole < 0 || fraction < 0 || !restOk || (dot === s && dot + 1 === e)) {
      throw this.lineError(`${this.csvNames[k]} "${this.fieldText(k)}" is not a non-negative decimal number (e.g. 12 or 0.25)`);
    }
    const unit = this.csvTimeUnitNs;
    const fractionDigits = dot < 0 ? 0 : fractionEnd - dot - 1;
    const ns = whole * unit + (fractionDigits === 0 ? 0 : Math.round((fraction * unit) / 10 ** fractionDigits));
    if (!Number.isSafeInteger(ns)) throw this.lineError(`${this.csvNames[k]} "${this.fieldText(k)}" is too large; allowed: up to 2^53 - 1 ns`);
    return ns;
  }

  private checkTimeOrder(timeNs: number, what: string): void {
    if (timeNs < this.previousTimeNs) {
      throw this.lineError(`${what} is earlier than the previous record's time; allowed: records in time order (sort the trace by time)`);
    }
    this.previousTimeNs = timeNs;
  }

  private push(timeNs: number, op: IoOp, offset: number, size: number, disk: number): void {
    let i = this.ringHead + this.ringCount;
    if (i >= this.windowRecords) i -= this.windowRecords;
    this.ringTime[i] = timeNs;
    this.ringOp[i] = op;
    this.ringOffset[i] = offset;
    this.ringSize[i] = size;
    this.ringDisk[i] = disk;
    this.ringLine[i] = this.lineNumber;
    this.ringCount++;
    if (this.ringCount > this.maxBuffered) this.maxBuffered = this.ringCount;
  }

  private readCsvHeader(): void {
    if (this.fieldCount > MAX_FIELDS) throw this.lineError(`header has ${this.fieldCount} columns; allowed: ${CSV_ALLOWED}`);
    const names: string[] = [];
    for (let k = 0; k < this.fieldCount; k++) names.push(this.fieldText(k).trim());
    names.forEach((raw, k) => {
      const name = raw.toLowerCase();
      const once = (index: number) => {
        if (index >= 0) throw this.lineError(`header names column "${raw}" twice (or two time columns); allowed: ${CSV_ALLOWED}`);
      };
      if (name in CSV_TIME_UNITS) {
        once(this.csvTime);
        this.csvTime = k;
        this.csvTimeUnitNs = CSV_TIME_UNITS[name]!;
      } else if (name === 'op') {
        once(this.csvOp);
        this.csvOp = k;
      } else if (name === 'offset') {
        once(this.csvOffset);
        this.csvOffset = k;
      } else if (name === 'size') {
        once(this.csvSize);
        this.csvSize = k;
      } else if (name === 'time') {
        throw this.lineError('header column "time" has no unit; allowed: time_ns, time_us, time_ms or time_s');
      } else {
        throw this.lineError(`header column "${raw}" is unknown; allowed: ${CSV_ALLOWED}`);
      }
    });
    const missing = [
      this.csvTime < 0 ? 'time_<unit>' : '',
      this.csvOp < 0 ? 'op' : '',
      this.csvOffset < 0 ? 'offset' : '',
      this.csvSize < 0 ? 'size' : '',
    ].filter((m) => m !== '');
    if (missing.length > 0) throw this.lineError(`header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; allowed: ${CSV_ALLOWED}`);
    this.csvNames = names;
  }
}
