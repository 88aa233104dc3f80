using System.Globalization;
using Dapper;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>The current version of an active source record, as matching and survivorship read it.</summary>
public sealed class SourcePerson
{
    public long Id { get; init; }
    public string AgencyCode { get; init; } = "";
    public string SourceKey { get; init; } = "";
    public DateTime ChangedAt { get; init; }
    public long VersionId { get; init; }
    public long ExtractId { get; init; }
    public string? IdType { get; init; }
    public string? IdNumber { get; init; }
    public string? OldIdNumber { get; init; }
    public string? FullName { get; init; }
    public string? Sex { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? Citizenship { get; init; }
    public string? Address { get; init; }
    public string? Postcode { get; init; }
    public string? Town { get; init; }
    public string? District { get; init; }
    public string? State { get; init; }
    public string? Phone { get; init; }
    public string? MaritalStatus { get; init; }
    public DateOnly? DeathDate { get; init; }
    public decimal? MonthlyIncome { get; init; }
    public decimal? AnnualIncome { get; init; }
    public string? Employer { get; init; }

    /// <summary>The kind of identity document id_number is: the agency's id_type, else a MyKad (what agencies hold by default).</summary>
    public string IdKind => IdType ?? "MYKAD";

    const string Columns = """
        r.id, r.agency_code as AgencyCode, r.source_key as SourceKey, r.changed_at as ChangedAt, v.id as VersionId, v.extract_id as ExtractId,
        v.id_type as IdType, v.id_number as IdNumber, v.old_id_number as OldIdNumber, v.full_name as FullName, v.sex, v.date_of_birth as DateOfBirth,
        v.citizenship, v.address, v.postcode, v.town, v.district, v.state, v.phone, v.marital_status as MaritalStatus, v.death_date as DeathDate,
        v.monthly_income as MonthlyIncome, v.annual_income as AnnualIncome, v.employer
        """;

    const string AllActive =
        $"select {Columns} from source_record r join source_record_version v on v.id = r.current_version_id where r.status = 'active' order by r.id";

    /// <summary>Every active source record, in id order (the order a full re-match numbers them in).</summary>
    public static async Task<List<SourcePerson>> LoadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var rows = await connection.QueryAsync<SourcePerson>(new CommandDefinition(
            AllActive,
            transaction: transaction, commandTimeout: 0, flags: CommandFlags.None));
        return rows.AsList();
    }

    public static async Task<List<SourcePerson>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long[] ids)
    {
        var rows = await connection.QueryAsync<SourcePerson>(new CommandDefinition(
            $"select {Columns} from source_record r join source_record_version v on v.id = r.current_version_id where r.status = 'active' and r.id = any(@ids) order by r.id",
            new { ids }, transaction, commandTimeout: 0));
        return rows.AsList();
    }

    public PersonFacts Facts()
    {
        var facts = new PersonFacts
        {
            FullName = FullName,
            DateOfBirth = DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Sex = Sex,
            Address = Address,
            Postcode = Postcode,
            City = Town,
            State = State,
            Phone = Phone,
        };
        if (IdNumber is { Length: > 0 })
        {
            facts.Identifiers.Add(new PersonIdentifier(IdKind, IdNumber));
        }
        if (OldIdNumber is { Length: > 0 })
        {
            facts.Identifiers.Add(new PersonIdentifier("OLD_IC", OldIdNumber));
        }
        return facts;
    }

    MatchRecord ToMatchRecord(int index, ISet<string> registeredMyKads, DateOnly today)
    {
        var record = MatchRecord.From(index, AgencyCode, Id.ToString(CultureInfo.InvariantCulture), Facts(), today);
        var mykad = record.Identifiers.FirstOrDefault(i => i.Kind == "MYKAD").Value;
        record.VerifiedMyKad = mykad is not null && registeredMyKads.Contains(mykad) ? mykad : null;
        return record;
    }

    /// <summary>
    /// Every active source record with its match record, normalised on the other cores while the rows are still being
    /// read, so the two take about as long as the slower of them. The rows are read on a thread of their own, without
    /// awaiting: awaited reads resumed on the thread pool behind the batches being normalised, so reading went at their
    /// pace (decision 7).
    /// </summary>
    public static async Task<(List<SourcePerson> People, List<MatchRecord> Records)> LoadAllForMatchingAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, ISet<string> registeredMyKads, DateOnly today, Dictionary<string, double>? seconds = null)
    {
        const int batchSize = 8192;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(
            AllActive,
            connection, transaction)
        { CommandTimeout = 0 };
        var people = new List<SourcePerson>();
        var batches = new List<Task<MatchRecord[]>>();
        var batch = new List<SourcePerson>(batchSize);
        void Normalise()
        {
            var (items, first) = (batch.ToArray(), people.Count - batch.Count);
            batches.Add(Task.Run(() =>
            {
                var records = new MatchRecord[items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    records[i] = items[i].ToMatchRecord(first + i, registeredMyKads, today);
                }
                return records;
            }));
            batch.Clear();
        }
        await Task.Factory.StartNew(() =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var person = Read(reader);
                people.Add(person);
                batch.Add(person);
                if (batch.Count == batchSize)
                {
                    Normalise();
                }
            }
            Normalise();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        seconds?.Add("load_rows", Math.Round(clock.Elapsed.TotalSeconds, 4));
        clock.Restart();
        var all = new List<MatchRecord>(people.Count);
        foreach (var normalised in batches)
        {
            all.AddRange(await normalised);
        }
        seconds?.Add("load_normalise", Math.Round(clock.Elapsed.TotalSeconds, 4));
        return (people, all);
    }

    /// <summary>
    /// A row of <see cref="Columns"/>, read by hand for the full load: the values many rows share (agency, kinds,
    /// sex, places, marital status, employer) are kept once, so the million rows a full run holds are fewer objects
    /// for the garbage collector to carry through the run.
    /// </summary>
    static SourcePerson Read(NpgsqlDataReader r)
    {
        string? Own(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string? Shared(int i) => r.IsDBNull(i) ? null : Text.Shared(r.GetString(i));
        return new()
        {
            Id = r.GetInt64(0),
            AgencyCode = Text.Shared(r.GetString(1)),
            SourceKey = r.GetString(2),
            ChangedAt = r.GetDateTime(3),
            VersionId = r.GetInt64(4),
            ExtractId = r.GetInt64(5),
            IdType = Shared(6),
            IdNumber = Own(7),
            OldIdNumber = Own(8),
            FullName = Own(9),
            Sex = Shared(10),
            DateOfBirth = r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11),
            Citizenship = Shared(12),
            Address = Own(13),
            Postcode = Shared(14),
            Town = Shared(15),
            District = Shared(16),
            State = Shared(17),
            Phone = Own(18),
            MaritalStatus = Shared(19),
            DeathDate = r.IsDBNull(20) ? null : r.GetFieldValue<DateOnly>(20),
            MonthlyIncome = r.IsDBNull(21) ? null : r.GetDecimal(21),
            AnnualIncome = r.IsDBNull(22) ? null : r.GetDecimal(22),
            Employer = Shared(23),
        };
    }

    /// <summary>Match records for these source records; a MyKad the registration department holds is marked verified.</summary>
    public static List<MatchRecord> ToMatchRecords(IReadOnlyList<SourcePerson> people, ISet<string> registeredMyKads, DateOnly today)
    {
        var records = new MatchRecord[people.Count];
        void Build(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                records[i] = people[i].ToMatchRecord(i, registeredMyKads, today);
            }
        }
        // Normalising is pure and a full run's records are many, so every core does a share.
        if (people.Count < 10_000)
        {
            Build(0, people.Count);
        }
        else
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, people.Count, 8192), range => Build(range.Item1, range.Item2));
        }
        return [.. records];
    }

    /// <summary>
    /// MyKads the registration department (JPN, keyed by the MyKad) holds on active records: the ones that are certainly
    /// real people. With <paramref name="among"/>, only those of these numbers (an incremental run asks about a few).
    /// </summary>
    public static async Task<HashSet<string>> RegisteredMyKadsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[]? among = null) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            among is null
                ? "select source_key from source_record where agency_code = 'JPN' and status = 'active'"
                : "select source_key from source_record where agency_code = 'JPN' and status = 'active' and source_key = any(@among)",
            new { among }, transaction, commandTimeout: 0)))
        .Select(n => new string(n.Where(char.IsAsciiLetterOrDigit).ToArray())).ToHashSet(StringComparer.Ordinal);

    /// <summary>The MyKad-shaped numbers these records carry, to ask which of them are registered.</summary>
    public static string[] MyKadsOf(IEnumerable<SourcePerson> people) =>
        people.Where(p => p.IdKind == "MYKAD" && p.IdNumber is not null)
            .Select(p => new string(p.IdNumber!.Where(char.IsAsciiLetterOrDigit).ToArray())).Distinct(StringComparer.Ordinal).ToArray();
}
