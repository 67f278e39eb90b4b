package dev.mayfly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system, all threads), read from {@code /proc/PID/stat}.
 * Throughput on these shared two-core machines moves with whatever else runs; CPU per request does not
 * much, and it shows how the cores were split between the broker and the load generator.
 */
final class CpuClock {
    /** USER_HZ: the unit of utime/stime in /proc; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuClock() {
    }

    /**
     * Seconds of CPU the whole machine has spent busy (user, nice, system, irq, softirq, steal; all cores) since
     * boot, from {@code /proc/stat}; NaN where it cannot say. Less the server's and the load generator's own, what
     * a run's neighbours took.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal (not idle, iowait)
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Seconds of CPU used by process {@code pid} ("self" for this one); NaN where /proc cannot say. */
    static double seconds(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may itself contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
