using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;

namespace PaduHub.Tests.GoldenRecords;

/// <summary>
/// The stored attributes: read back as the same lineage, and written in the order jsonb keeps keys, so PostgreSQL
/// finds them sorted.
/// </summary>
public sealed class AttributesJsonTests
{
    static readonly SortedDictionary<string, AttributeLineage> s_attributes = new(StringComparer.Ordinal)
    {
        ["full_name"] = new("TAN AH KOW \"AH BOY\" \\ 陈", "JPN", 1000020000000004, 1000020000000005, 2,
            new DateTime(2026, 11, 27, 12, 56, 12, 161, DateTimeKind.Utc).AddTicks(2630), true),
        ["sex"] = new("M", "JPN", 1000020000000004, 1000020000000005, 2, new DateTime(2026, 11, 27, 12, 56, 12, DateTimeKind.Utc), true),
        ["marital_status"] = new("MARRIED", "STEWARD", 0, 0, 0, new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc), true)
        {
            CorrectionId = 7,
            CorrectedBy = "amina",
            Replaces = "JPN record 1000020000000004",
        },
        ["town"] = new("Kuching", "TNB", 1000050000000005, 1000050000000005, 5, new DateTime(2026, 11, 27, 12, 56, 19, DateTimeKind.Utc), false),
        ["postcode"] = new("93190", "TNB", 1000050000000005, 1000050000000005, 5, new DateTime(2026, 11, 27, 12, 56, 19, DateTimeKind.Utc), false),
    };

    [Test]
    public void Reads_back_as_the_serializer_reads_its_own()
    {
        var written = AttributesJson.Write(s_attributes);

        var read = JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(written)!;
        Assert.That(read, Is.EquivalentTo(s_attributes));
        Assert.That(JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(JsonSerializer.Serialize(s_attributes)), Is.EquivalentTo(read));
    }

    [Test]
    public async Task Keys_come_in_the_order_jsonb_keeps_them()
    {
        var connectionString = await TestDatabase.CreateAsync("attributes_json");
        var written = AttributesJson.Write(s_attributes);

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // jsonb prints its keys in the order it stores them; written is that order if every key of every object
            // comes out of jsonb where it went in.
            var stored = await connection.ExecuteScalarAsync<string>("select @written::jsonb::text", new { written });
            Assert.That(Keys(written), Is.EqualTo(Keys(stored!)));
        }
        await TestDatabase.DropAsync(connectionString);
    }

    static List<string> Keys(string json)
    {
        var keys = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                keys.Add(reader.GetString()!);
            }
        }
        return keys;
    }
}
