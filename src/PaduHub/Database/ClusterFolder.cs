using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PaduHub.Database;

/// <summary>Where the embedded cluster's PostgreSQL binaries are, and a folder its unprivileged user can write.</summary>
static class ClusterFolder
{
    /// <summary>Where initdb and pg_ctl live: PADU_PG_BIN, the newest /usr/lib/postgresql/N/bin, then PATH.</summary>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PADU_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                // Debian puts a wrapper script on PATH; the real binaries sit next to the resolved link.
                var initdb = new FileInfo(Path.Combine(dir, "initdb"));
                var target = initdb.LinkTarget is null ? initdb.FullName : initdb.ResolveLinkTarget(true)!.FullName;
                return Path.GetDirectoryName(target)!;
            }
        }
        return "/usr/lib/postgresql/<version>/bin";
    }

    public static string MissingBinariesMessage(string looked) =>
        $"PaduHub could not find PostgreSQL's initdb and pg_ctl (looked in {looked}, /usr/lib/postgresql/*/bin and PATH). "
        + "Install PostgreSQL (Debian/Ubuntu: sudo apt-get install -y postgresql), set PADU_PG_BIN to the folder that "
        + "holds initdb, or point PaduHub at an existing server with PADU_DATABASE_URL=postgres://user:password@host:5432/padu.";

    /// <summary>
    /// Makes sure the cluster folder exists and that the unprivileged user can reach it. Every parent must be
    /// traversable by that user; a clone under a root-only folder (e.g. /root) cannot host the cluster, so the
    /// cluster then moves to a folder under the system temp directory named after the original path.
    /// </summary>
    public static string Prepare(string folder, string? osUser, ILogger logger)
    {
        Directory.CreateDirectory(folder);
        if (osUser is null)
        {
            return folder;
        }
        Chown(folder, osUser);
        if (CommandRunner.Run("/usr/bin/test", ["-w", folder], osUser).Succeeded)
        {
            return folder;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..12];
        var relocated = Path.Combine(Path.GetTempPath(), $"paduhub-pg-{hash}");
        Directory.CreateDirectory(relocated);
        Chown(relocated, osUser);
        if (!CommandRunner.Run("/usr/bin/test", ["-w", relocated], osUser).Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"The embedded database runs as the user '{osUser}', who cannot write to {folder} nor to {relocated}. "
                + "Run PaduHub as a normal user, make the folder reachable, or set PADU_DATABASE_URL.");
        }
        File.WriteAllText(Path.Combine(folder, "RELOCATED"),
            $"The embedded cluster for this folder lives in {relocated}: user '{osUser}' cannot reach {folder}.\n");
        Log.ClusterRelocated(logger, folder, relocated, osUser);
        return relocated;
    }

    static void Chown(string path, string user)
    {
        var result = CommandRunner.Run("/bin/chown", [$"{user}:", path]);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"Could not hand {path} to the user '{user}' that runs the embedded database: {result.Output}. "
                + "Create that user (Debian's postgresql package does), set PADU_PG_USER, or set PADU_DATABASE_URL.");
        }
    }
}
