/**
 * Regions and jurisdictions. A store lives in a region; a client reads from a region, or from
 * the internet. Data leaving the store's region is egress, priced per byte by destination
 * (another region, or the internet); data staying in the region is free unless priced.
 * The jurisdiction label (e.g. "EU", "US") says whose law governs data at rest there; bytes
 * read into another jurisdiction are counted, for data-sovereignty checks.
 */

export interface Region {
  /** e.g. "eu-west-1". */
  readonly name: string;
  /** e.g. "EU"; '' when unknown. */
  readonly jurisdiction: string;
}

/** Clients outside any cloud region. */
export const INTERNET: Region = Object.freeze({ name: 'internet', jurisdiction: '' });

/** Where bytes go, seen from a store's region. */
export const Destination = { SameRegion: 0, OtherRegion: 1, Internet: 2 } as const;
export type Destination = (typeof Destination)[keyof typeof Destination];

/** Classifies a transfer from `from` (a store's region) to `to`. */
export function destinationOf(from: Region, to: Region): Destination {
  if (to.name === INTERNET.name) return Destination.Internet;
  return to.name === from.name ? Destination.SameRegion : Destination.OtherRegion;
}

/** True when the bytes cross into a different (known) jurisdiction, or to the internet. */
export function crossesJurisdiction(from: Region, to: Region): boolean {
  if (to.name === INTERNET.name) return true;
  return to.jurisdiction !== from.jurisdiction;
}
