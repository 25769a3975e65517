/**
 * Metric paths, output names and path selectors.
 *
 * A metric is addressed by a component path: one or more segments of `[a-z0-9_-]` separated by
 * `/`, e.g. `server/queue_length`, `ssd0/host_writes`, `raid-1/disk3/busy`.
 *
 * Every name that leaves the metrics layer (summary column or sampled series) is
 * `<path>[_<stat>][_<unit>]`: the path, then the statistic if the metric has several (`mean`,
 * `p99`, ...), then the display unit label if it has one. Parts are joined with `_`.
 */

const PATH = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;
const PATTERN = /^[a-z0-9_*-]+(?:\/[a-z0-9_*-]+)*$/;

/** True when `path` is a well-formed metric path. */
export function isMetricPath(path: string): boolean {
  return PATH.test(path);
}

/**
 * Throws a descriptive error unless `path` is a well-formed metric path.
 * @throws Error naming the bad path and the expected form.
 */
export function assertMetricPath(path: string): void {
  if (typeof path !== 'string' || !PATH.test(path)) {
    throw new Error(
      `Invalid metric path ${JSON.stringify(path)}: expected one or more segments of [a-z0-9_-] ` +
        `separated by "/", with no empty segment, e.g. "server/queue_length"`,
    );
  }
}

/**
 * Output name of one statistic of a metric: `<path>[_<stat>][_<unit>]`, omitting empty parts.
 * @example outputName('server/response_time', 'p99', 's') === 'server/response_time_p99_s'
 * @example outputName('server/completed', '', '') === 'server/completed'
 */
export function outputName(path: string, stat: string, unitLabel: string): string {
  let name = path;
  if (stat !== '') name += `_${stat}`;
  if (unitLabel !== '') name += `_${unitLabel}`;
  return name;
}

/**
 * Compiles path patterns into a predicate choosing metric paths.
 *
 * A pattern is a path whose segments may contain `*` (any run of characters within one segment)
 * or be `**` (any run of characters, `/` included). A pattern selects every path it matches
 * whole, and every path below one it matches: `ssd0` selects `ssd0/host_writes`,
 * `ssd*` selects `ssd0/...` and `ssd1/...`, `server/*_time` selects `server/response_time`
 * (but not `server/x/response_time`); `**` then `/queue_length` selects that name at any depth.
 * A path is selected when any pattern selects it; an empty list selects nothing.
 *
 * @throws Error for a malformed pattern.
 */
export function compilePathSelector(patterns: readonly string[]): (path: string) => boolean {
  const regexes = patterns.map((pattern) => {
    if (typeof pattern !== 'string' || !PATTERN.test(pattern)) {
      throw new Error(
        `Invalid metric path pattern ${JSON.stringify(pattern)}: expected segments of [a-z0-9_-*] ` +
          `separated by "/", e.g. "ssd*" or "**/queue_length"`,
      );
    }
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '*') {
        if (pattern[i + 1] === '*') {
          source += '.*';
          i++;
        } else {
          source += '[^/]*';
        }
      } else {
        source += ch;
      }
    }
    return new RegExp(`^(?:${source})(?:/.*)?$`);
  });
  return (path: string) => {
    for (const regex of regexes) if (regex.test(path)) return true;
    return false;
  };
}
