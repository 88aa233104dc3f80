using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PaduHub.Ingestion;

/// <summary>
/// The fingerprints that tell a record's row from another and a changed row from an unchanged one: the key's hash and
/// the row's values hashed. Hot path: each runs once per row of every file; the bytes hashed must never change, since
/// every version stored carries its fingerprint.
/// </summary>
public static class RowFingerprint
{
    /// <summary>The key hash used for <see cref="ExtractReader.Current"/> and duplicate detection: XxHash128 of the key's characters.</summary>
    public static UInt128 KeyHash(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

    public static UInt128 ToUInt128(byte[] bytes) => new(BitConverter.ToUInt64(bytes, 0), BitConverter.ToUInt64(bytes, 8));

    /// <summary>{"a":"1","b":"2"} in key order, written by hand: this runs once per row of a million-row file.</summary>
    public static string ExtraJson(Dictionary<string, string> extra)
    {
        var json = new StringBuilder("{");
        foreach (var (key, value) in extra.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            json.Append('"').Append(JsonText(key)).Append("\":\"").Append(JsonText(value)).Append('"');
        }
        return json.Append('}').ToString();
    }

    /// <summary>
    /// What <see cref="JsonEncodedText.Encode(string, System.Text.Encodings.Web.JavaScriptEncoder?)"/> makes of a value, without
    /// calling it for the plain ASCII nearly every value is (it costs more than the rest of the JSON): the text must
    /// stay exactly the same, because it is part of the row's fingerprint.
    /// </summary>
    public static string JsonText(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`')
            {
                return JsonEncodedText.Encode(value).Value;
            }
        }
        return value;
    }

    /// <summary>
    /// What the row says, fingerprinted: a full extract that repeats a record unchanged writes no new version. The
    /// values go straight into the hash, each behind a type tag, with no text built in between (this runs for every
    /// row of a million-row file, and building the text was most of the parse).
    /// </summary>
    public static byte[] RowHash(StagedRow row)
    {
        // The bytes are laid out in one buffer and hashed once: the same bytes as appending them one by one, so the
        // same fingerprint as every version stored before, at less than half the cost.
        var length = 1 + 2 * (row.ExtraJson?.Length ?? 0);
        foreach (var value in row.Values)
        {
            length += value switch { string text => 5 + 2 * text.Length, DateOnly => 5, decimal => 17, _ => 1 };
        }
        foreach (var issue in row.Issues ?? [])
        {
            length += 1 + 2 * issue.Length;
        }
        byte[]? rented = null;
        var buffer = length <= 2048 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        var at = 0;
        foreach (var value in row.Values)
        {
            switch (value)
            {
                case null:
                    buffer[at++] = 0;
                    break;
                case string text:
                    buffer[at++] = 1;
                    MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(buffer[at..]);
                    at += 2 * text.Length;
                    BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], text.Length);
                    at += 4;
                    break;
                case DateOnly date:
                    buffer[at++] = 2;
                    BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], date.DayNumber);
                    at += 4;
                    break;
                case decimal money:
                    buffer[at++] = 3;
                    decimal.GetBits(decimal.Round(money, 2), MemoryMarshal.Cast<byte, int>(buffer.Slice(at, 16)));
                    at += 16;
                    break;
            }
        }
        buffer[at++] = 4;
        MemoryMarshal.AsBytes((row.ExtraJson ?? "").AsSpan()).CopyTo(buffer[at..]);
        at += 2 * (row.ExtraJson?.Length ?? 0);
        foreach (var issue in row.Issues ?? [])
        {
            buffer[at++] = 4;
            MemoryMarshal.AsBytes(issue.AsSpan()).CopyTo(buffer[at..]);
            at += 2 * issue.Length;
        }
        var hash = XxHash128.Hash(buffer[..at]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return hash;
    }
}
