using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Tests.Ingestion;

namespace PaduHub.Tests.GoldenRecords;

/// <summary>
/// A full run reads its rows by hand, column by position, where everything else lets Dapper map them by name: both
/// must read the same people, or a column added to the select in the wrong place would shift every value after it.
/// </summary>
public sealed class SourcePersonTests : IngestionFixture
{
    [Test]
    public async Task The_full_load_reads_every_column_as_Dapper_does()
    {
        foreach (var agency in new[] { "JKM", "JPN", "KWSP", "LHDN", "TNB" })
        {
            await Load(agency, Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single());
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();

        var mapped = await SourcePerson.LoadAllAsync(connection, null);
        var (read, records) = await SourcePerson.LoadAllForMatchingAsync(connection, null, new HashSet<string>(), new DateOnly(2026, 11, 27));

        Assert.That(read, Has.Count.EqualTo(mapped.Count).And.Count.GreaterThan(4000));
        Assert.That(records.Select(r => r.Key), Is.EqualTo(mapped.Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var property in typeof(SourcePerson).GetProperties())
        {
            Assert.That(read.Select(p => property.GetValue(p)), Is.EqualTo(mapped.Select(p => property.GetValue(p))), property.Name);
        }
        Assert.That(mapped.Any(p => p.MonthlyIncome is not null) && mapped.Any(p => p.DeathDate is not null) && mapped.Any(p => p.OldIdNumber is not null),
            "the demo holds values in the rarer columns too");
    }
}
