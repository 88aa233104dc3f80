using System.Security.Cryptography;

namespace PaduHub.Ingestion;

/// <summary>
/// What can be known about a file before parsing it: size, problems visible in its bytes, its line breaks, and its
/// checksum. The checksum is computed on its own pass and thread (hashing a large file takes seconds): a file sent
/// before must be recognised before anything of it is committed, but only a first load goes ahead without it.
/// </summary>
sealed record FileFacts(Task<string> Checksum, long Size, string? Problem, bool StartsWithUtf8Bom, bool EndsWithNewline, long LineBreaks)
{
    public static async Task<FileFacts> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ExtractRequestException($"no such file: {path}");
        }
        var checksum = Task.Run(() => ChecksumAsync(path, cancellationToken), cancellationToken);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var first = Array.Empty<byte>();
        byte last = 0;
        long size = 0;
        long lineBreaks = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (size == 0)
            {
                first = buffer[..Math.Min(read, 4)];
            }
            last = buffer[read - 1];
            lineBreaks += buffer.AsSpan(0, read).Count((byte)'\n');
            size += read;
        }
        string? problem = null;
        if (size == 0)
        {
            problem = "the file is empty: not even a header line";
        }
        else if (first is [0xFF, 0xFE, ..] || first is [0xFE, 0xFF, ..])
        {
            problem = "the file is UTF-16 (it starts with a UTF-16 byte order mark); agencies send UTF-8 or Windows-1252 as their contract says";
        }
        return new FileFacts(checksum, size, problem, first is [0xEF, 0xBB, 0xBF, ..], last == (byte)'\n', lineBreaks);
    }

    static async Task<string> ChecksumAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
