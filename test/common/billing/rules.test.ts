import { describe, expect, it } from 'vitest';
import { billableUnits, monthlyAverage, totalStandardHosts } from '../../../common/billing/rules';

describe('published billing rules on one snapshot', () => {
  it.each([
    // hosts' metric counts, service metrics, URL monitors -> standard, micro, service-metric hosts, URL-monitor hosts
    [[200], 0, 0, { standardHosts: 1, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[201], 0, 0, { standardHosts: 2, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[450], 0, 0, { standardHosts: 3, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[30], 0, 0, { standardHosts: 0, microHosts: 1, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[31], 0, 0, { standardHosts: 1, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[0], 0, 0, { standardHosts: 0, microHosts: 1, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[10, 30, 100, 400], 0, 0, { standardHosts: 3, microHosts: 2, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
    [[], 200, 0, { standardHosts: 0, microHosts: 0, serviceMetricHosts: 1, urlMonitorHosts: 0 }],
    [[], 401, 0, { standardHosts: 0, microHosts: 0, serviceMetricHosts: 3, urlMonitorHosts: 0 }],
    [[], 0, 20, { standardHosts: 0, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 1 }],
    [[], 0, 21, { standardHosts: 0, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 2 }],
    [[], 0, 0, { standardHosts: 0, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0 }],
  ])('hosts %j, %i service metrics, %i URL monitors', (hostMetricCounts, serviceMetrics, urlMonitors, expected) => {
    expect(billableUnits({ hostMetricCounts, serviceMetrics, urlMonitors })).toEqual(expected);
  });

  it('adds pooled service metrics and URL monitors to standard hosts (micro hosts are their own line)', () => {
    expect(totalStandardHosts({ standardHosts: 2, microHosts: 5, serviceMetricHosts: 1, urlMonitorHosts: 3 })).toBe(6);
  });

  it.each([
    [14, 28, 0.5],
    [1, 3, 0.33],
    [2, 3, 0.67],
    [7, 0, 0],
    [62, 31, 2],
  ])('averages %i unit-slots over %i slots to %d', (sum, slots, average) => {
    expect(monthlyAverage(sum, slots)).toBe(average);
  });
});
