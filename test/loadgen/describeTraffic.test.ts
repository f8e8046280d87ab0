import { describe, expect, it } from 'vitest';
import { describeTraffic, formatRate } from '../../loadgen/describeTraffic.js';
import { spec } from './trafficHarness.js';

describe('describeTraffic', () => {
  it('says what a traffic sends in one line', () => {
    expect(
      describeTraffic(
        spec({
          rate: { kind: 'ramp', fromPerSecond: 20, toPerSecond: 200, overMs: 600_000 },
          durationMs: 3_600_000,
          mix: [
            { name: '/api/cart', share: 80, weight: 800_000, path: '/api/cart' },
            { name: 'checkout', share: 20, weight: 200_000, path: '/api/checkout' },
          ],
          from: { namespace: 'shop', workload: 'frontend' },
        }),
      ),
    ).toBe(
      'traffic users: 20/s → 200/s over 10m0s (poisson) GET http://checkout.127.0.0.1.nip.io/api/cart, mix 80% /api/cart, 20% checkout, from shop/frontend, for 1h0m0s',
    );
    expect(
      describeTraffic(
        spec({
          arrivals: 'uniform',
          rate: { kind: 'daily', minPerSecond: 2, maxPerSecond: 40, peakAtMs: 14.5 * 3_600_000 },
        }),
      ),
    ).toBe(
      'traffic users: daily 2/s to 40/s, peak at 14:30 UTC (uniform) GET http://checkout.127.0.0.1.nip.io/api/cart',
    );
  });

  it('formats rates in the unit that reads best', () => {
    expect([20, 0, 0.5, 0.2, 1 / 60, 1 / 1200, 1_000_001, 0.1 + 0.2].map(formatRate)).toEqual([
      '20/s',
      '0/s',
      '30/m',
      '12/m',
      '1/m',
      '3/h',
      '1000001/s',
      '18/m',
    ]);
  });
});
