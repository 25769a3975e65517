/**
 * Costs against hand computation from the price definitions (Amazon S3 pricing page: storage
 * per GB-month, PUT/COPY/POST/LIST and GET/HEAD requests per 1,000, DELETE free, data transfer
 * out per GB; a month of 730 h) and the billing rule for errors (S3 User Guide, "Billing for
 * Amazon S3 error responses": 4xx billed, 5xx not). Prices go through the scenario unit parser,
 * as a user writes them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { INTERNET } from '../../../sim/models/cloud/region.ts';
import type { CloudPrices } from '../../../sim/models/cloud/pricing.ts';
import { loadUnits } from '../../../sim/scenario/units.ts';
import { S3_UPLOAD_LIMITS } from '../../../sim/models/cloud/s3-limits.ts';
import { NO_RETRY, S, cloudHarness } from './harness.ts';

const HOUR = 3600 * S;
/** S3's limits but with single PUTs of any size, so one request can store 100 GB. */
const limits = { ...S3_UPLOAD_LIMITS, maxPutBytes: 1e15 };
const units = await loadUnits();

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${what}: ${actual} != ${expected}`);
}

function prices(p: Partial<Record<keyof CloudPrices, string>>): CloudPrices {
  const kind = (k: keyof CloudPrices) =>
    k === 'storageUsdPerByteS' ? 'storagePrice' : k === 'putRequestUsd' || k === 'getRequestUsd' ? 'requestPrice' : 'transferPrice';
  const out: Record<string, number> = { storageUsdPerByteS: 0, putRequestUsd: 0, getRequestUsd: 0, egressInternetUsdPerB: 0, egressInterRegionUsdPerB: 0, intraRegionUsdPerB: 0 };
  for (const [k, v] of Object.entries(p)) out[k] = units.parse(v!, kind(k as keyof CloudPrices));
  return out as unknown as CloudPrices;
}

test('"GB" is 10^9 bytes and "GiB" 2^30 in prices; a month is 730 hours', () => {
  close(units.parse('0.023 USD/GB/month', 'storagePrice'), 0.023 / 1e9 / (730 * 3600), 'GB');
  close(units.parse('0.023 USD/GiB/month', 'storagePrice'), 0.023 / 2 ** 30 / (730 * 3600), 'GiB');
  close(units.parse('0.005 USD/1000 requests', 'requestPrice'), 0.005 / 1000, 'per 1000 requests');
});

test('100 GB stored for half a 730-hour month at 0.023 USD/GB-month costs 1.15 USD', () => {
  const h = cloudHarness({ limits, prices: prices({ storageUsdPerByteS: '0.023 USD/GB/month' }) });
  const c = h.client();
  c.put('b', 'k', 100e9, () => {});
  h.env.run({ until: 365 * HOUR });
  close(h.value('s3/storage_cost_USD'), 1.15, 'storage cost');
  close(h.value('s3/total_cost_USD'), 1.15, 'total');
});

test('a size profile integrates piece by piece: 100 GB for 365 h, then 150 GB for 365 h, then nothing', () => {
  // 100 × 0.023 × 0.5 + 150 × 0.023 × 0.5 = 1.15 + 1.725 = 2.875 USD; nothing accrues after the delete.
  const h = cloudHarness({ limits, prices: prices({ storageUsdPerByteS: '0.023 USD/GB/month' }) });
  const c = h.client();
  c.put('b', 'a', 100e9, () => {});
  h.env.schedule(365 * HOUR, () => c.put('b', 'b', 50e9, () => {}), null);
  h.env.schedule(730 * HOUR, () => {
    c.delete('b', 'a', () => {});
    c.delete('b', 'b', () => {});
  }, null);
  h.env.run({ until: 800 * HOUR });
  close(h.value('s3/storage_cost_USD'), 2.875, 'storage cost');
  assert.is(h.value('s3/request_cost_USD'), 0, 'no request price set');
});

test('request costs by class: PUT/LIST at 0.005, GET/HEAD at 0.0004 per 1000; DELETE free; 4xx billed, 5xx not', () => {
  const h = cloudHarness({ limits, prices: prices({ putRequestUsd: '0.005 USD/1000 requests', getRequestUsd: '0.0004 USD/1000 requests' }) });
  const c = h.client({ retry: NO_RETRY });
  const ignore = () => {};
  // 2,000 PUTs and 1 LIST (PUT class); 10,000 GETs, 4 HEADs and 1 GET of a missing key (404: billed).
  for (let i = 0; i < 2000; i++) h.env.schedule(i * 1e6, () => c.put('b', `k${i % 10}`, 10, ignore), null);
  h.env.run();
  for (let i = 0; i < 10000; i++) h.env.schedule(i * 1e6, () => c.get('b', `k${i % 10}`, ignore), null);
  for (let i = 0; i < 4; i++) c.head('b', 'k1', ignore);
  c.get('b', 'missing', ignore);
  c.list('b', 'k', ignore);
  h.env.run();
  c.delete('b', 'k3', ignore);
  h.env.run();
  // 5xx: requests during an outage are not billed.
  h.store.setAvailable(false);
  c.put('b', 'x', 1, ignore);
  c.get('b', 'k1', ignore);
  h.env.run();
  const expected = (2001 * 0.005) / 1000 + (10005 * 0.0004) / 1000;
  close(h.value('s3/request_cost_USD'), expected, 'request cost');
  assert.is(h.value('s3/client_errors'), 1);
  assert.is(h.value('s3/unavailable'), 2);
});

test('egress: 10 GB to the internet at 0.09 USD/GB, 10 GB to another region at 0.02, same region free', () => {
  const h = cloudHarness({ limits, prices: prices({ egressInternetUsdPerB: '0.09 USD/GB', egressInterRegionUsdPerB: '0.02 USD/GB' }) });
  h.client().put('b', 'k', 10e9, () => {});
  h.env.run();
  h.client({ region: INTERNET }).get('b', 'k', () => {});
  h.client({ region: { name: 'us-east-1', jurisdiction: 'US' } }).get('b', 'k', () => {});
  h.client({ region: { name: 'eu-central-1', jurisdiction: 'EU' } }).get('b', 'k', () => {}, { offset: 0, length: 1e9 });
  h.client().get('b', 'k', () => {});
  h.env.run();
  close(h.value('s3/egress_cost_USD'), 10 * 0.09 + 11 * 0.02, 'egress cost');
  assert.is(h.value('s3/egress_B'), 21e9);
  assert.is(h.value('s3/egress_cross_jurisdiction_B'), 20e9, 'eu-central-1 stays in the EU');
  assert.is(h.value('s3/downloaded_B'), 31e9);
});

test('a metrics reset (end of warm-up) restarts every cost from then on', () => {
  const h = cloudHarness({ limits, prices: prices({ storageUsdPerByteS: '0.023 USD/GB/month', putRequestUsd: '0.005 USD/1000 requests' }) });
  h.client().put('b', 'k', 100e9, () => {});
  h.env.schedule(100 * HOUR, () => h.metrics.reset(), null);
  h.env.run({ until: 465 * HOUR });
  close(h.value('s3/storage_cost_USD'), 1.15, 'storage since the reset');
  assert.is(h.value('s3/request_cost_USD'), 0, 'the PUT was before the reset');
});

test.run();
