using System.Diagnostics;

namespace PermissionLayer.LoadGenerator;

/// <summary>
/// Where a phase's CPU went, from Linux's /proc: this load generator, the server that answered,
/// every PostgreSQL process (backends and background workers: the audit rows' cost lands there), and
/// the whole machine. On a machine where all of them share the cores, the ratio of two methods'
/// throughputs is the inverse ratio of their CPU per call, so this shows which part of a Check costs
/// what, and what no change to the service could win back.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> serverPids, int? postmasterPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux ABI .NET supports

    public readonly record struct Reading(double LoadGenerator, double Server, double PostgreSql, double MachineBusy, double Elapsed);

    public bool Available => OperatingSystem.IsLinux() && serverPids.Count > 0 && postmasterPid is not null;

    public Func<Reading> Start(string target)
    {
        var before = Take(target);
        return () =>
        {
            var after = Take(target);
            return new Reading(after.LoadGenerator - before.LoadGenerator, after.Server - before.Server,
                after.PostgreSql - before.PostgreSql, after.MachineBusy - before.MachineBusy, after.Elapsed - before.Elapsed);
        };
    }

    private Reading Take(string target) => new(
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        serverPids.TryGetValue(target, out var pid) ? ProcessSeconds(pid) ?? 0 : 0,
        PostgreSqlSeconds(),
        MachineBusySeconds(),
        Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);

    /// <summary>utime + stime of one process (fields 14 and 15 of /proc/PID/stat, after the command name).</summary>
    private static double? ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null; // the process ended between listing and reading
        }
    }

    /// <summary>
    /// The postmaster and its children (backends, WAL writer, checkpointer, autovacuum), and only
    /// those: another PostgreSQL on the machine is not this run's. A backend that exited during the
    /// phase no longer has a /proc entry, but once the postmaster has reaped it its CPU is in the
    /// postmaster's cutime + cstime, which are counted too (without them a phase in which a pooled
    /// connection closed read a negative PostgreSQL CPU).
    /// </summary>
    private double PostgreSqlSeconds()
    {
        if (postmasterPid is not { } postmaster)
        {
            return 0;
        }
        var total = (ProcessSeconds(postmaster) ?? 0) + (ReapedChildrenSeconds(postmaster) ?? 0);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(pid) == postmaster)
            {
                total += ProcessSeconds(pid) ?? 0;
            }
        }
        return total;
    }

    /// <summary>cutime + cstime of one process: its waited-for children's CPU (fields 16 and 17 of /proc/PID/stat).</summary>
    private static double? ReapedChildrenSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[13]) + long.Parse(fields[14])) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>All CPUs' non-idle time (first line of /proc/stat: user nice system idle iowait irq softirq steal).</summary>
    private static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = cpu.Skip(1).Take(8).Select(long.Parse).ToArray();
        return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;
    }
}
