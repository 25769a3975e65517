/**
 * Checks that an FTL's mapping is consistent (run it after GC, at the end of a run, or every
 * N writes in a property test): every mapped logical page points at a flash page whose
 * out-of-band record names it back, no flash page is claimed by two logical pages, and each
 * block's valid count equals the number of logical pages mapped into it. Free blocks hold
 * no valid page. O(logical pages + blocks); reads only.
 */
import { BlockState, UNMAPPED, type Ftl } from '../models/ssd/ftl.ts';

/** The first inconsistencies found (at most `limit`), as readable sentences; empty when consistent. */
export function ftlInconsistencies(ftl: Ftl, limit = 10): string[] {
  const problems: string[] = [];
  const { l2p, p2l, validCount, blockState, geometry } = ftl;
  const ppb = geometry.pagesPerBlock;
  const counted = new Int32Array(geometry.blocks);
  const claimed = new Uint8Array(geometry.pages);
  for (let lpn = 0; lpn < ftl.logicalPages && problems.length < limit; lpn++) {
    const ppa = l2p[lpn]!;
    if (ppa === UNMAPPED) continue;
    if (ppa >= geometry.pages) {
      problems.push(`logical page ${lpn} maps to flash page ${ppa}, beyond the device's ${geometry.pages}`);
      continue;
    }
    if (p2l[ppa] !== lpn) problems.push(`logical page ${lpn} maps to flash page ${ppa}, whose out-of-band record names logical page ${p2l[ppa]}`);
    if (claimed[ppa]) problems.push(`flash page ${ppa} is mapped twice`);
    claimed[ppa] = 1;
    const block = Math.floor(ppa / ppb);
    counted[block]!++;
    if (blockState[block] === BlockState.Free) problems.push(`logical page ${lpn} lives in free block ${block}`);
  }
  for (let block = 0; block < geometry.blocks && problems.length < limit; block++) {
    if (counted[block] !== validCount[block]) {
      problems.push(`block ${block} counts ${validCount[block]} valid pages but ${counted[block]} logical pages map into it`);
    }
  }
  return problems;
}

/** Throws an Error listing the inconsistencies, if any. */
export function assertFtlConsistent(ftl: Ftl): void {
  const problems = ftlInconsistencies(ftl);
  if (problems.length > 0) throw new Error(`FTL mapping inconsistent:\n  ${problems.join('\n  ')}`);
}
