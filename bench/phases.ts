/**
 * The measured phases of the benchmarks: wall time, CPU time of this process,
 * its main thread and its finished children (ffmpeg), and peak RSS.
 */
import { readFileSync } from 'node:fs';

export interface Phase {
  name: string;
  seconds: number;
  tracksPerSec: number;
  /** CPU time of this Node process: main thread and worker threads, not the ffmpeg children. */
  cpuSeconds: number;
  /** CPU time of the main thread alone (walking, tags, database, scheduling); null off Linux. */
  mainThreadCpuSeconds: number | null;
  /** CPU time of the ffmpeg children that finished in the phase; null off Linux. */
  ffmpegCpuSeconds: number | null;
  /** Highest sampled resident set size of this process during the phase, in MB. */
  peakRssMb: number;
}

/** Sums two CPU-time fields of a Linux /proc stat file (counted after the command name, in 1/100 s); null where there is none. */
function procCpuSeconds(statFile: string, field: number): number | null {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[field]) + Number(fields[field + 1])) / 100;
  } catch {
    return null;
  }
}

/** utime + stime of the main thread. */
const mainThreadCpu = () => procCpuSeconds(`/proc/self/task/${process.pid}/stat`, 11);
/** cutime + cstime: the children this process has waited for. */
const childrenCpu = () => procCpuSeconds('/proc/self/stat', 13);
const delta = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

export interface RssSampler {
  /** The peak RSS in bytes since the previous call. */
  take(): number;
  stop(): void;
}

/** Samples this process's RSS every 50 ms. */
export function rssSampler(): RssSampler {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 50);
  return {
    take() {
      sample();
      const result = peak;
      peak = 0;
      return result;
    },
    stop: () => clearInterval(timer),
  };
}

/** Runs `work` as one measured phase over `tracks` files. */
export async function measure<T>(name: string, tracks: number, sampler: RssSampler, work: () => Promise<T>): Promise<{ phase: Phase; result: T }> {
  sampler.take();
  const [cpuBefore, mainBefore, childrenBefore] = [process.cpuUsage(), mainThreadCpu(), childrenCpu()];
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const phase: Phase = {
    name,
    seconds,
    tracksPerSec: tracks / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadCpuSeconds: delta(mainBefore, mainThreadCpu()),
    ffmpegCpuSeconds: delta(childrenBefore, childrenCpu()),
    peakRssMb: sampler.take() / 2 ** 20,
  };
  console.log(`  ${name}: ${seconds.toFixed(1)} s`);
  return { phase, result };
}

