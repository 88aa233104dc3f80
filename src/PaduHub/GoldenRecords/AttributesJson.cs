using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A golden record's attributes as the JSON stored in <c>golden_person.attributes</c>: the same document
/// <see cref="JsonSerializer"/> makes of them (and reads back into <see cref="AttributeLineage"/>), written with every
/// object's keys already in jsonb's order (shorter keys first, then byte order). PostgreSQL sorts each object's keys
/// as it parses; in sorted order that is a check instead of a sort. Both that sort and the reflection-based serializer
/// showed in a full run's profile (decision 7).
/// </summary>
public static class AttributesJson
{
    static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic] static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] static List<KeyValuePair<string, AttributeLineage>>? t_sorted;

    public static string Write(IEnumerable<KeyValuePair<string, AttributeLineage>> attributes)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var sorted = t_sorted ??= [];
        sorted.Clear();
        sorted.AddRange(attributes);
        // jsonb's order: shorter keys first, then by bytes (attribute names are ASCII, so ordinal is byte order).
        sorted.Sort((x, y) => x.Key.Length != y.Key.Length ? x.Key.Length.CompareTo(y.Key.Length) : string.CompareOrdinal(x.Key, y.Key));
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            foreach (var (name, a) in sorted)
            {
                writer.WriteStartObject(name);
                // Keys by length, then bytes: at, value, agency, replaces, verified, extract_id, version_id,
                // corrected_by, correction_id, source_record_id.
                writer.WriteString("at", a.At);
                writer.WriteString("value", a.Value);
                writer.WriteString("agency", a.Agency);
                if (a.Replaces is { } replaces)
                {
                    writer.WriteString("replaces", replaces);
                }
                writer.WriteBoolean("verified", a.Verified);
                writer.WriteNumber("extract_id", a.ExtractId);
                writer.WriteNumber("version_id", a.VersionId);
                if (a.CorrectedBy is { } correctedBy)
                {
                    writer.WriteString("corrected_by", correctedBy);
                }
                if (a.CorrectionId is { } correctionId)
                {
                    writer.WriteNumber("correction_id", correctionId);
                }
                writer.WriteNumber("source_record_id", a.SourceRecordId);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
