// A description of the machine the numbers come from: CPU, cores, memory, OS, tool versions.

import type { Machine } from "./types.ts";

async function read(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

/** First line of a command's output, or "n/a" (bounded: 20 s). */
async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(20_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim() ||
      new TextDecoder().decode(out.stderr).trim();
    return out.success ? text.split("\n")[0]! : "n/a";
  } catch {
    return "n/a";
  }
}

export function loadAverage(): number[] {
  return Deno.loadavg().map((l) => Math.round(l * 100) / 100);
}

export async function describeMachine(kubeApiserverBin: string | null): Promise<Machine> {
  const cpuinfo = await read("/proc/cpuinfo");
  const meminfo = await read("/proc/meminfo");
  const osRelease = await read("/etc/os-release");
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? NaN);
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: navigator.hardwareConcurrency,
    memoryGiB: Number.isNaN(memKiB) ? 0 : Math.round((memKiB / 1024 / 1024) * 10) / 10,
    os: /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? Deno.build.os,
    kernel: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    go: (await firstLine("go", ["version"])).replace(/^go version /, ""),
    kubeApiserver: kubeApiserverBin ? await firstLine(kubeApiserverBin, ["--version"]) : "n/a",
    loadAverage: loadAverage(),
    date: new Date().toISOString(),
  };
}
