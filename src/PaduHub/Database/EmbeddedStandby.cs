using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaduHub.Database;

/// <summary>The embedded cluster's streaming replica: the one use case of <see cref="EmbeddedPostgres"/> that copies another cluster.</summary>
public sealed partial class EmbeddedPostgres
{
    /// <summary>
    /// A streaming replica (a hot standby) of <paramref name="primary"/> in <paramref name="folder"/>: on first use a
    /// base backup of the primary (pg_basebackup, which also writes the standby's connection to it), then started on a
    /// free loopback port of its own like any embedded cluster. The primary takes a new port at every start, so the
    /// standby is pointed at the primary's port of the day before it starts.
    /// </summary>
    /// <param name="folder">where the standby's data, log and socket live</param>
    /// <param name="primary">the running embedded cluster it follows</param>
    /// <param name="logger">where it says what it does</param>
    /// <param name="port">the port to listen on (a replica started again where readers expect it); a free one when null</param>
    public static EmbeddedPostgres StartStandby(string folder, EmbeddedPostgres primary, ILogger? logger = null, int? port = null)
    {
        return Open(folder, primary._binDirectory, logger ?? NullLogger.Instance, standby =>
        {
            standby.CopyPrimaryIfNeeded(primary);
            standby._password = primary._password;
            standby.StartOrAttach(port);
        });
    }

    void CopyPrimaryIfNeeded(EmbeddedPostgres primary)
    {
        var marker = Path.Combine(Folder, InitialisedMarker);
        var autoConf = Path.Combine(DataDirectory, "postgresql.auto.conf");
        if (!File.Exists(marker))
        {
            if (Directory.Exists(DataDirectory))
            {
                Log.DiscardingUnfinishedCluster(_logger, DataDirectory);
                Directory.Delete(DataDirectory, recursive: true);
            }
            if (!File.Exists(Tool("pg_basebackup")))
            {
                throw new EmbeddedPostgresException($"A replica of the embedded cluster needs pg_basebackup, and {_binDirectory} has none: install PostgreSQL's client tools, or leave Padu:EmbeddedReplica off.");
            }
            Log.CopyingPrimary(_logger, primary.Port, DataDirectory);
            var result = CommandRunner.Run(Tool("pg_basebackup"),
                ["-D", DataDirectory, "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser,
                    "-X", "stream", "-R", "-c", "fast", "-w"],
                _osUser, TimeSpan.FromMinutes(30), new Dictionary<string, string> { ["PGPASSWORD"] = primary._password ?? "" });
            if (!result.Succeeded)
            {
                throw new EmbeddedPostgresException($"pg_basebackup of the embedded cluster into {DataDirectory} failed (exit {result.ExitCode}): {result.Output}");
            }
            File.WriteAllText(marker, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");
        }
        else if (TryAttachToRunningServer())
        {
            return;
        }
        // primary_conninfo = '... port=5432 ...' as pg_basebackup wrote it, with the primary's port now.
        File.WriteAllLines(autoConf, File.ReadAllLines(autoConf).Select(line => line.StartsWith("primary_conninfo", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(line, @"\bport=\d+", $"port={primary.Port}")
            : line));
    }
}
