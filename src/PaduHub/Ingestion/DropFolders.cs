using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaduHub.Ingestion;

/// <summary>
/// One folder per agency (dropbox/JPN/inbox, archive, failed) for agencies that deliver files by copying them. A sweep
/// loads what is in each inbox, oldest name first so deltas go in sequence, and moves every file out: to archive/
/// when it was loaded, held or already known, to failed/ when it was rejected, each with a .receipt.txt beside it.
/// Files still being written (changed in the last <see cref="SettleTime"/>) or named *.part / *.tmp wait for the next sweep.
/// </summary>
public sealed class DropFolders(string root, ExtractLoader loader, ILogger? logger = null)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);
    readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Root { get; } = root;

    public string Inbox(string agency) => Path.Combine(Root, agency, "inbox");

    /// <summary>Creates inbox/, archive/ and failed/ for every agency with a contract.</summary>
    public void Prepare()
    {
        foreach (var contract in loader.Contracts.All)
        {
            foreach (var sub in new[] { "inbox", "archive", "failed" })
            {
                Directory.CreateDirectory(Path.Combine(Root, contract.Agency, sub));
            }
        }
    }

    /// <summary>
    /// Deletes what the sweeps kept longer than <paramref name="keep"/>: files in archive/ and failed/ (with their
    /// receipts) are agencies' personal data in plain files, and the receipts in the database outlive them. Returns how
    /// many files went.
    /// </summary>
    public int Prune(TimeSpan keep, DateTime? now = null)
    {
        var cutoff = (now ?? DateTime.UtcNow) - keep;
        var pruned = 0;
        foreach (var contract in loader.Contracts.All)
        {
            foreach (var kept in new[] { "archive", "failed" }.Select(sub => Path.Combine(Root, contract.Agency, sub)).Where(Directory.Exists))
            {
                foreach (var file in Directory.GetFiles(kept).Where(f => File.GetLastWriteTimeUtc(f) < cutoff))
                {
                    File.Delete(file);
                    pruned++;
                }
            }
        }
        return pruned;
    }

    public async Task<IReadOnlyList<ExtractReceipt>> SweepAsync(DateTime? now = null, CancellationToken cancellationToken = default)
    {
        Prepare();
        var receipts = new List<ExtractReceipt>();
        var cutoff = (now ?? DateTime.UtcNow) - SettleTime;
        foreach (var contract in loader.Contracts.All.OrderBy(c => c.Agency, StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(Inbox(contract.Agency))
                .Where(f => !f.EndsWith(".part", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase))
                .Where(f => File.GetLastWriteTimeUtc(f) <= cutoff)
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                string outcome;
                string text;
                try
                {
                    var receipt = await loader.LoadAsync(new ExtractRequest(contract.Agency, file, name, "drop-folder"), cancellationToken: cancellationToken);
                    receipts.Add(receipt);
                    outcome = receipt.Status == ExtractStatus.Rejected ? "failed" : "archive";
                    text = $"receipt {receipt.Id}: {receipt.Status}{(receipt.Duplicate ? " (sent before; nothing changed)" : "")}\n"
                        + (receipt.Reason is null ? "" : $"reason: {receipt.Reason}\n")
                        + $"read {receipt.RowsRead}, inserted {receipt.Inserted}, updated {receipt.Updated}, unchanged {receipt.Unchanged}, "
                        + $"withdrawn {receipt.Withdrawn}, deleted {receipt.Deleted}, rejected {receipt.Rejected}\n";
                }
                catch (ExtractRequestException e)
                {
                    outcome = "failed";
                    text = $"not loaded: {e.Message}\n";
                }
                var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
                var target = Path.Combine(Root, contract.Agency, outcome, $"{stamp}-{name}");
                File.Move(file, target, overwrite: true);
                await File.WriteAllTextAsync(target + ".receipt.txt", text, cancellationToken);
                Log.DropFileSwept(_logger, contract.Agency, name, outcome);
            }
        }
        return receipts;
    }
}
