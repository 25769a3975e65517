/**
 * Generates `msr-synthetic.csv`, a small synthetic block trace in the MSR Cambridge format
 * (`Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime`, no header), and prints its
 * statistics. Deterministic: every draw comes from storsim's seeded random streams, so running
 * it again gives the same bytes.
 *
 *   node --import tsx scenarios/traces/generate.ts            # writes scenarios/traces/msr-synthetic.csv
 *   node --import tsx scenarios/traces/generate.ts out.csv    # writes elsewhere
 *
 * The trace is synthetic: it imitates the shape of the MSR traces (two disks of one host,
 * bursty arrivals, mostly small requests, skewed offsets with sequential runs), not any real
 * recording.
 */
import { writeFileSync } from 'node:fs';
import { empiricalFromPoints, exponential, lognormalFromMoments, RandomStreams, zipf } from '../../sim/engine/random/index.ts';

const SEED = 20080226; // FAST 2008, where the MSR Cambridge traces were published
const RECORDS = 4000;
const FIRST_FILETIME = 128166372000000000n; // 2007-02-22 00:00 UTC in 100 ns units since 1601
const KiB = 1024;
const DISK_BYTES = [2 ** 30, 2 ** 31]; // disk 0: 1 GiB, disk 1: 2 GiB
const BLOCK = 4 * KiB;

const streams = new RandomStreams(SEED);
const gapStream = streams.stream('trace/gap');
const burstStream = streams.stream('trace/burst');
const diskStream = streams.stream('trace/disk');
const opStream = streams.stream('trace/op');
const sizeStream = streams.stream('trace/size');
const addressStream = streams.stream('trace/address');
const responseStream = streams.stream('trace/response');

// Arrivals: mostly 5 ms apart on average, with bursts (20% of gaps are 100 us on average).
const calmGap = exponential(5e6);
const burstGap = exponential(1e5);
const sizes = empiricalFromPoints([4 * KiB, 4 * KiB, 4 * KiB, 8 * KiB, 8 * KiB, 16 * KiB, 32 * KiB, 64 * KiB]);
const ranks = DISK_BYTES.map((bytes) => zipf(bytes / BLOCK, 0.9));
const responseTicks = lognormalFromMoments(20000, 40000); // 2 ms mean, in 100 ns units
const readFraction = [0.7, 0.3];

const lines: string[] = [];
let timeNs = 0;
const sequentialCursor = [0, 0];
for (let i = 0; i < RECORDS; i++) {
  timeNs += (burstStream.next() < 0.2 ? burstGap : calmGap).sample(gapStream);
  const disk = diskStream.next() < 0.6 ? 0 : 1;
  const read = opStream.next() < readFraction[disk]!;
  const size = sizes.sample(sizeStream);
  const capacity = DISK_BYTES[disk]!;
  let offset: number;
  if (addressStream.next() < 0.3) {
    // A sequential run: continue where the disk's last sequential request ended.
    offset = sequentialCursor[disk]! + size > capacity ? 0 : sequentialCursor[disk]!;
    sequentialCursor[disk] = offset + size;
  } else {
    offset = Math.min(capacity - size, (ranks[disk]!.sample(addressStream) - 1) * BLOCK);
  }
  const filetime = FIRST_FILETIME + BigInt(Math.round(timeNs / 100));
  const response = Math.max(1, Math.round(responseTicks.sample(responseStream)));
  lines.push(`${filetime},synth,${disk},${read ? 'Read' : 'Write'},${offset},${size},${response}`);
}

const out = process.argv[2] ?? new URL('./msr-synthetic.csv', import.meta.url).pathname;
writeFileSync(out, `${lines.join('\n')}\n`);

// Statistics for the README.
const records = lines.map((line) => line.split(','));
const stat = (filter: (r: string[]) => boolean) => {
  const chosen = records.filter(filter);
  const reads = chosen.filter((r) => r[3] === 'Read').length;
  const bytes = chosen.reduce((sum, r) => sum + Number(r[5]), 0);
  return { records: chosen.length, reads, writes: chosen.length - reads, meanSizeKiB: +(bytes / chosen.length / KiB).toFixed(2), totalMiB: +(bytes / 2 ** 20).toFixed(2) };
};
const durationS = Number(BigInt(records[records.length - 1]![0]!) - FIRST_FILETIME) / 1e7;
console.log(JSON.stringify({ durationS: +durationS.toFixed(3), meanRatePerS: +(RECORDS / durationS).toFixed(1), all: stat(() => true), disk0: stat((r) => r[2] === '0'), disk1: stat((r) => r[2] === '1'), maxOffsetEnd: Math.max(...records.map((r) => Number(r[4]) + Number(r[5]))) }, null, 1));
