using System.Globalization;
using Dapper;
using Npgsql;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

/// <summary>Our own binary COPY encoder, read back by PostgreSQL itself: every type a load writes, edge values included.</summary>
public sealed class BinaryCopyTests : IngestionFixture
{
    static readonly decimal[] s_amounts =
    [
        0m, 0.00m, 0.05m, 0.0001m, 1m, -1m, 1234.5m, 1234.50m, 10000m, 100000m, 9999.9999m, 12345678.90m, -3.25m, 123456789012.34m,
        0.1234m, 5000.00m, 1000000m,
    ];

    [Test]
    public async Task Every_value_written_reads_back_as_the_same_value()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("""
            create temp table t (n int, big bigint, word text, letter char(1), money numeric(14,2), wide numeric, day date, raw bytea, doc jsonb, tags text[])
            """);
        var days = new[] { new DateOnly(2000, 1, 1), new DateOnly(1899, 12, 31), new DateOnly(2026, 11, 27), new DateOnly(1969, 7, 20) };
        await using (var copy = await BinaryCopy.BeginAsync(connection,
            "copy t (n, big, word, letter, money, wide, day, raw, doc, tags) from stdin (format binary)", CancellationToken.None))
        {
            for (var i = 0; i < s_amounts.Length; i++)
            {
                copy.StartRow(10);
                copy.Int32(i);
                copy.Int64(long.MaxValue - i);
                copy.Text(i % 3 == 0 ? null : $"NUR AISYAH BINTI ABDULLAH {i} — 阿米尔 ✓");
                copy.Text(i % 2 == 0 ? "I" : "D");
                copy.Numeric(decimal.Round(s_amounts[i], 2));
                copy.Numeric(s_amounts[i]);
                copy.Date(days[i % days.Length]);
                copy.Bytes(i % 4 == 0 ? null : [(byte)i, 0, 255]);
                copy.Jsonb(i % 2 == 0 ? null : $$"""{"bil":"{{i}}","note":"a \"quoted\" word"}""");
                copy.TextArray(i % 3 == 0 ? null : i % 3 == 1 ? [] : ["id_number: placeholder", $"phone: {i}"]);
                await copy.FlushIfFullAsync(CancellationToken.None);
            }
            await copy.CompleteAsync(CancellationToken.None);
        }

        var rows = (await connection.QueryAsync<(int N, long Big, string? Word, string Letter, decimal Money, string Wide, DateOnly Day, byte[]? Raw,
            string? Doc, string[]? Tags)>("select n, big, word, letter, money, wide::text, day, raw, doc::text, tags from t order by n")).ToList();

        Assert.That(rows, Has.Count.EqualTo(s_amounts.Length));
        foreach (var row in rows)
        {
            var i = row.N;
            Assert.That(row.Big, Is.EqualTo(long.MaxValue - i));
            Assert.That(row.Word, Is.EqualTo(i % 3 == 0 ? null : $"NUR AISYAH BINTI ABDULLAH {i} — 阿米尔 ✓"));
            Assert.That(row.Letter, Is.EqualTo(i % 2 == 0 ? "I" : "D"));
            Assert.That(row.Money, Is.EqualTo(decimal.Round(s_amounts[i], 2)), $"numeric(14,2) of {s_amounts[i]}");
            // The display scale travels too: 1234.50 stays 1234.50, 0.00 stays 0.00.
            Assert.That(row.Wide, Is.EqualTo(s_amounts[i].ToString(CultureInfo.InvariantCulture)), $"numeric of {s_amounts[i]}");
            Assert.That(row.Day, Is.EqualTo(days[i % days.Length]));
            Assert.That(row.Raw, Is.EqualTo(i % 4 == 0 ? null : new byte[] { (byte)i, 0, 255 }));
            Assert.That(row.Doc, Is.EqualTo(i % 2 == 0 ? null : $$"""{"bil": "{{i}}", "note": "a \"quoted\" word"}"""));
            Assert.That(row.Tags, Is.EqualTo(i % 3 == 0 ? null : i % 3 == 1 ? Array.Empty<string>() : new[] { "id_number: placeholder", $"phone: {i}" }));
        }
    }

    [Test]
    public async Task A_copy_not_completed_keeps_nothing_and_leaves_the_connection_usable()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("create temp table t (word text)");
        await using (var copy = await BinaryCopy.BeginAsync(connection, "copy t (word) from stdin (format binary)", CancellationToken.None))
        {
            for (var i = 0; i < 100_000; i++)
            {
                copy.StartRow(1);
                copy.Text("a row that will never land");
                await copy.FlushIfFullAsync(CancellationToken.None);
            }
        }

        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from t"), Is.Zero);
    }
}
