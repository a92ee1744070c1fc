// The latency monitor (LATENCY LATEST/HISTORY/GRAPH/DOCTOR/RESET): per event class ("command",
// "fast-command", "expire-cycle", ...) a ring of the worst latency seen in each second, kept
// only for samples at or above latency-monitor-threshold (ms; 0 disables the monitor).

import type { Config } from './config';

/** Samples kept per event, one per second at most (Valkey's LATENCY_TS_LEN). */
export const LATENCY_TS_LEN = 160;

export interface LatencySample {
  /** unix time in seconds; 0 = empty slot */
  time: number;
  /** milliseconds */
  latency: number;
}

export class LatencyTimeSeries {
  /** next slot to write */
  idx = 0;
  /** all-time maximum, sum and count of the samples added */
  max = 0;
  sum = 0;
  cnt = 0;
  readonly samples: LatencySample[] = Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 }));

  /** The filled slots, oldest first. */
  ordered(): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % LATENCY_TS_LEN];
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  /** The most recently written slot. */
  last(): LatencySample {
    return this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
  }
}

export interface LatencyStats {
  allTimeHigh: number;
  avg: number;
  min: number;
  max: number;
  /** mean absolute deviation */
  mad: number;
  samples: number;
  /** seconds covered by the samples (at least 1 when there are some) */
  period: number;
}

export class LatencyMonitor {
  /** event name -> series, in creation order */
  readonly events = new Map<string, LatencyTimeSeries>();

  /** latency-monitor-threshold, read on every command: cached, kept current by a config hook */
  threshold: number;

  constructor(config: Config) {
    this.threshold = config.num('latency-monitor-threshold');
    config.onChange('latency-monitor-threshold', (v) => {
      this.threshold = v as number;
      return null;
    });
  }

  /** Record `ms` for `event` if the monitor is on and the latency reached the threshold. */
  addSampleIfNeeded(event: string, ms: number): void {
    const threshold = this.threshold;
    if (threshold > 0 && ms >= threshold) this.addSample(event, ms);
  }

  /** Record a sample; within the same second only the worst latency is kept. */
  addSample(event: string, latencyMs: number, nowSec = Math.floor(Date.now() / 1000)): void {
    const ms = Math.floor(latencyMs);
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new LatencyTimeSeries();
      this.events.set(event, ts);
    }
    if (ms > ts.max) ts.max = ms;
    ts.sum += ms;
    ts.cnt++;
    const prev = ts.last();
    if (prev.time === nowSec) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    ts.samples[ts.idx] = { time: nowSec, latency: ms };
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** Forget one event (case-insensitive), or all of them; returns how many were reset. */
  reset(event?: string): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  analyze(event: string, nowSec = Math.floor(Date.now() / 1000)): LatencyStats {
    const ts = this.events.get(event);
    const st: LatencyStats = { allTimeHigh: ts ? ts.max : 0, avg: 0, min: 0, max: 0, mad: 0, samples: 0, period: 0 };
    if (!ts) return st;
    const list = ts.ordered();
    if (list.length === 0) return st;
    let sum = 0;
    let oldest = Infinity;
    st.min = Infinity;
    for (const s of list) {
      st.min = Math.min(st.min, s.latency);
      st.max = Math.max(st.max, s.latency);
      sum += s.latency;
      oldest = Math.min(oldest, s.time);
    }
    st.samples = list.length;
    st.avg = Math.floor(sum / list.length);
    st.period = nowSec - oldest || 1;
    let dev = 0;
    for (const s of list) dev += Math.abs(st.avg - s.latency);
    st.mad = Math.floor(dev / list.length);
    return st;
  }

  /** LATENCY GRAPH: a header line, a rule and an ASCII sparkline of the samples. */
  graph(event: string, nowSec = Math.floor(Date.now() / 1000)): string | null {
    const ts = this.events.get(event);
    if (ts === undefined) return null;
    const list = ts.ordered();
    let min = 0;
    let max = 0;
    const seq: SparkSample[] = [];
    for (const s of list) {
      if (seq.length === 0) min = max = s.latency;
      else {
        max = Math.max(max, s.latency);
        min = Math.min(min, s.latency);
      }
      seq.push({ value: s.latency, label: agoLabel(nowSec - s.time) });
    }
    let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
    out += '-'.repeat(GRAPH_COLS) + '\n';
    return out + renderSparkline(seq, GRAPH_COLS, GRAPH_ROWS);
  }
}

const GRAPH_COLS = 80;
const GRAPH_ROWS = 4;

/** "12s", "3m", "5h", "2d": how long ago a sample was taken. */
function agoLabel(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.floor(elapsed / 3600)}h`;
  return `${Math.floor(elapsed / 86400)}d`;
}

interface SparkSample {
  value: number;
  label: string;
}

// The filled sparkline of Valkey's LATENCY GRAPH: each column is one sample drawn over
// `rows` text rows with three levels per row ("_o#"), full rows below it as '|', followed
// by a blank line and the sample labels written vertically.
const FILL_CHARS = '_o#';

function renderSparkline(seq: SparkSample[], columns: number, rows: number): string {
  let out = '';
  if (seq.length === 0) return out;
  let min = seq[0].value;
  let max = seq[0].value;
  for (const s of seq) {
    min = Math.min(min, s.value);
    max = Math.max(max, s.value);
  }
  for (let j = 0; j < seq.length; j += columns) {
    if (j !== 0) out += '\n';
    out += renderRange(seq.slice(j, j + columns), min, max, rows);
  }
  return out;
}

function renderRange(part: SparkSample[], min: number, max: number, rows: number): string {
  const levels = FILL_CHARS.length * rows;
  const range = max - min === 0 ? 1 : max - min;
  const hasLabels = part.some((s) => s.label.length > 0);
  let out = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars: string[] = new Array(part.length).fill(' ');
    for (let j = 0; j < part.length; j++) {
      const s = part[j];
      let step = Math.trunc(Math.trunc((s.value - min) * levels) / range);
      step = Math.min(Math.max(step, 0), levels - 1);
      if (row < rows) {
        more = true;
        const idx = step - (rows - row - 1) * FILL_CHARS.length;
        if (idx >= 0 && idx < FILL_CHARS.length) chars[j] = FILL_CHARS[idx];
        else if (idx >= FILL_CHARS.length) chars[j] = '|';
      } else {
        // one blank row between the graph and the labels
        if (hasLabels && row - rows < 1) {
          more = true;
          break;
        }
        const at = row - rows - 1;
        if (s.label.length > at) {
          more = true;
          chars[j] = s.label[at];
        }
      }
    }
    if (!more) break;
    out += chars.join('') + '\n';
  }
  return out;
}

/** LATENCY DOCTOR: Valkey's human readable report, built from the recorded events. */
export function latencyDoctorReport(mon: LatencyMonitor, opts: { slowThresholdUsec: number; slowMaxLen: number; hz: number }): string {
  if (mon.events.size === 0 && mon.threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Valkey instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it.\n";
  }
  const advice = new Set<string>();
  let report = '';
  let n = 0;
  for (const [event, ts] of mon.events) {
    n++;
    if (n === 1) report += 'Latency spikes are observed in this Valkey instance.\n\n';
    const st = mon.analyze(event);
    report += `${n}. ${event}: ${st.samples} latency spikes (average ${st.avg}ms, mean deviation ${st.mad}ms, period ${(st.period / st.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    const e = event.toLowerCase();
    if (e === 'command') {
      if (opts.slowThresholdUsec < 0 || opts.slowMaxLen === 0) advice.add('slowlog-enable');
      else if (opts.slowThresholdUsec / 1000 > mon.threshold) advice.add('slowlog-tune');
      advice.add('slowlog-inspect');
      advice.add('large-objects');
    } else if (e === 'fast-command') {
      advice.add('scheduler');
    } else if (e === 'expire-cycle') {
      advice.add('hz');
      advice.add('large-objects');
    } else if (e === 'eviction-del') {
      advice.add('large-objects');
    } else if (e === 'eviction-cycle') {
      advice.add('mass-eviction');
    }
    report += '\n';
  }
  if (n === 0 && advice.size === 0) {
    return report + 'No latency spike was observed during the lifetime of this Valkey instance, not in the slightest bit.\n';
  }
  if (advice.size === 0) {
    return report + '\nThere are latency events logged that are not easy to fix. Please get some help from Valkey community, providing this report in your help request.\n';
  }
  // The advice paragraphs are our own wording of Valkey's suggestions.
  report += '\nHere is some advice for you:\n\n';
  const suggested = mon.threshold * 1000;
  if (advice.has('slowlog-enable')) {
    report += `- Slow commands are causing latency but the Slow Log is disabled. Enable it with 'CONFIG SET slowlog-log-slower-than ${suggested}' to see which commands they are.\n`;
  }
  if (advice.has('slowlog-tune')) {
    report += `- The Slow Log only records commands slower than the latency monitor threshold. Use 'CONFIG SET slowlog-log-slower-than ${suggested}' to align the two.\n`;
  }
  if (advice.has('slowlog-inspect')) {
    report += '- Look at the Slow Log (SLOWLOG GET) to find which commands take too long; see https://valkey.io/commands/slowlog for more information.\n';
  }
  if (advice.has('scheduler')) {
    report += '- Even O(1) commands were slow: the process is not getting CPU time for long periods. Lower the system load, give the server a machine or VM of its own, and look for noisy neighbours.\n';
  }
  if (advice.has('hz') && opts.hz < 100) {
    report += "- To make active expiry more incremental, raise the 'hz' parameter with 'CONFIG SET hz 100'.\n";
  }
  if (advice.has('large-objects')) {
    report += '- Deleting, expiring or evicting a large value blocks the server while it happens; split very large values that are often removed into smaller ones.\n';
  }
  if (advice.has('mass-eviction')) {
    report += "- Lowering 'maxmemory' suddenly, or creating large values while memory is full, forces the server to evict many keys at once; avoid sudden memory pressure.\n";
  }
  return report;
}
