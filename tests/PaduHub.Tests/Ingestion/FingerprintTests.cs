using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

/// <summary>
/// Row fingerprints are stored with every version and compared with the next night's rows: a parser change that
/// moved a single byte would make every record in the hub look changed. The fast paths are checked here against
/// the plain code they replaced, on random and awkward values.
/// </summary>
public sealed class FingerprintTests
{
    /// <summary>The fingerprint as first written: each value appended to a streaming hash behind its type tag.</summary>
    static byte[] StreamedRowHash(StagedRow row)
    {
        var hash = new XxHash128();
        Span<byte> tag = stackalloc byte[1];
        Span<byte> number = stackalloc byte[16];
        foreach (var value in row.Values)
        {
            switch (value)
            {
                case null:
                    tag[0] = 0;
                    hash.Append(tag);
                    break;
                case string text:
                    tag[0] = 1;
                    hash.Append(tag);
                    hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
                    BitConverter.TryWriteBytes(number, text.Length);
                    hash.Append(number[..4]);
                    break;
                case DateOnly date:
                    tag[0] = 2;
                    hash.Append(tag);
                    BitConverter.TryWriteBytes(number, date.DayNumber);
                    hash.Append(number[..4]);
                    break;
                case decimal money:
                    tag[0] = 3;
                    hash.Append(tag);
                    decimal.GetBits(decimal.Round(money, 2), MemoryMarshal.Cast<byte, int>(number));
                    hash.Append(number);
                    break;
            }
        }
        tag[0] = 4;
        hash.Append(tag);
        hash.Append(MemoryMarshal.AsBytes((row.ExtraJson ?? "").AsSpan()));
        foreach (var issue in row.Issues ?? [])
        {
            hash.Append(tag);
            hash.Append(MemoryMarshal.AsBytes(issue.AsSpan()));
        }
        return hash.GetCurrentHash();
    }

    [Test]
    public void The_row_fingerprint_is_the_one_stored_before()
    {
        var random = new Random(7);
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => random.Next(10) == 0 ? (char)random.Next(0x80, 0x4E00) : (char)random.Next(' ', '~'))]);
        for (var n = 0; n < 2_000; n++)
        {
            var row = new StagedRow { Line = n };
            for (var i = 0; i < row.Values.Length; i++)
            {
                row.Values[i] = random.Next(5) switch
                {
                    0 => null,
                    1 => Text(random.Next(0, n % 100 == 0 ? 5_000 : 40)),
                    2 => DateOnly.FromDayNumber(random.Next(690_000, 740_000)),
                    3 => Math.Round((decimal)random.NextDouble() * 100_000m, random.Next(0, 4)),
                    _ => "",
                };
            }
            row.ExtraJson = random.Next(3) == 0 ? null : $$"""{"bil":"{{Text(random.Next(8))}}"}""";
            row.Issues = random.Next(3) == 0 ? null : [.. Enumerable.Range(0, random.Next(3)).Select(_ => Text(20))];

            Assert.That(RowFingerprint.RowHash(row), Is.EqualTo(StreamedRowHash(row)), $"row {n}");
        }
    }

    [TestCase("BIL 3")]
    [TestCase("")]
    [TestCase("a \"quoted\" word")]
    [TestCase("back\\slash")]
    [TestCase("<b>&amp;</b> it's 1+1 `x`")]
    [TestCase("tab\there")]
    [TestCase("Jalan Tun Razak, 50400 KL")]
    [TestCase("陈美玲")]
    [TestCase("é")]
    [TestCase("~!@#$%^*()_=-[]{}|;:,./?")]
    public void Json_text_is_what_the_encoder_writes(string value) =>
        Assert.That(RowFingerprint.JsonText(value), Is.EqualTo(JsonEncodedText.Encode(value).Value));

    [Test]
    public void Fixed_width_dates_read_as_the_framework_reads_them()
    {
        string[] formats = ["yyyyMMdd", "yyyy-MM-dd", "dd/MM/yyyy", "dd-MM-yyyy", "dd.MM.yyyy"];
        var random = new Random(11);
        var samples = new List<string> { "", "2024022", "202402299", "20240229", "20230229", "00000101", "99991231", "2024-13-01", "31/04/2024",
            "29/02/2024", "2024/02/29", "2O240101", " 20240101", "２０２４0101", "01-01-2024", "1/1/2024", "0001-01-01" };
        for (var i = 0; i < 5_000; i++)
        {
            var date = DateOnly.FromDayNumber(random.Next(0, 3_000_000));
            var format = formats[random.Next(formats.Length)];
            var text = date.ToString(format, CultureInfo.InvariantCulture);
            // Now and then a digit or a separator goes wrong.
            if (random.Next(4) == 0)
            {
                var at = random.Next(text.Length);
                text = text[..at] + "0-/x9"[random.Next(5)] + text[(at + 1)..];
            }
            samples.Add(text);
        }
        foreach (var format in formats)
        {
            foreach (var sample in samples)
            {
                var expected = DateOnly.TryParseExact(sample, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var framework);
                Assert.That(FieldRules.TryParseFixedDate(sample, format, out var ours), Is.EqualTo(expected), $"'{sample}' as {format}");
                if (expected)
                {
                    Assert.That(ours, Is.EqualTo(framework), $"'{sample}' as {format}");
                }
            }
        }
        Assert.That(FieldRules.TryParseFixedDate("1/1/2024", "d/M/yyyy", out _), Is.Null, "a format of varying width is left to the framework");
    }
}
