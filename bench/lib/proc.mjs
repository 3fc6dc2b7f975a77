/**
 * What a target process costs, read from /proc. CPU comes from per-thread schedstat
 * (nanoseconds) rather than stat's utime+stime (10 ms ticks): a few hundred requests cost
 * only tens of ms, which ticks would round away. stat is the fallback.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

/** CPU time of all live threads of `pid`, in ms. */
export function cpuMs(pid) {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended between readdir and read
      }
    }
    if (ns > 0) return ns / 1e6;
  } catch {
    // no schedstat: fall back to ticks below
  }
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident set (VmRSS) and its high-water mark (VmHWM), in MB. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** Resets VmHWM to the current RSS, so that the next peak belongs to the next request. */
export function resetPeak(pid) {
  try {
    // "5" resets the peak RSS counter (Linux Documentation/filesystems/proc.rst, clear_refs).
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * The process that does the work under `pid`: npm scripts start a shell that starts node
 * (or node that starts workerd), and the benchmark must measure the last one.
 */
export function leafProcess(pid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  let current = pid;
  while (children.get(current)?.length) current = Math.max(...children.get(current));
  return current;
}
