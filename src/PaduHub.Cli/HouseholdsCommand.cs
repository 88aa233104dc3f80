using System.CommandLine;
using System.Globalization;
using Dapper;
using PaduHub.Database;
using PaduHub.Households;
using PaduHub.Samples;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// padu households [--queued] [--threshold-year Y] [--truth DIR]: forms golden households from the golden persons
/// (every household, or with --queued only those around the people matching queued, as padu match does after every
/// run), and with --truth scores them against a generated population's truth.
/// </summary>
static class HouseholdsCommand
{
    public static Command Create()
    {
        var year = new Option<int>("--threshold-year") { Description = $"DOSM survey year for B40/M40/T20 ({string.Join(", ", IncomeGroups.Years)})", DefaultValueFactory = _ => IncomeGroups.DefaultYear };
        var truth = new Option<DirectoryInfo?>("--truth") { Description = "A folder made by padu generate: score households against its truth" };
        var queued = new Option<bool>("--queued") { Description = "Only the households around the people matching queued since the last run" };
        var command = new Command("households", "Form golden households from golden persons, and optionally score them against a generated truth") { year, truth, queued };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            var households = new GoldenHouseholds(database.ConnectionString, parse.GetValue(year));
            var report = parse.GetValue(queued) ? await households.RebuildAsync(cancellationToken) : await households.RebuildAllAsync(cancellationToken);
            Print(report);
            if (parse.GetValue(truth) is { } folder)
            {
                AnsiConsole.MarkupLine(Markup.Escape((await ScoreAsync(database, folder.FullName, cancellationToken)).ToString()));
            }
            return 0;
        });
        return command;
    }

    public static void Print(HouseholdRunReport report) =>
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
            "Households: {0:N0}; {1:N0} created, {2:N0} changed, {3:N0} merged away, {4:N0} dissolved; {5:N0} new conflicts for stewards; {6:N0} ms",
            report.Households, report.Created, report.Changed, report.Retired, report.Dissolved, report.Conflicts, report.Milliseconds);

    /// <summary>Each golden person stands for the true person most of its source records belong to.</summary>
    static async Task<HouseholdScore> ScoreAsync(PaduDatabase database, string folder, CancellationToken cancellationToken)
    {
        var personOfRecord = SourceRecordTruth.PersonOfRecord(folder);
        var householdOfPerson = PeopleTruth.HouseholdOfLivingPerson(folder);
        await using var connection = database.Connect();
        var rows = await connection.QueryAsync<(long Golden, string Agency, string Key, long Household)>(new CommandDefinition("""
            select m.golden_id, r.agency_code, r.source_key, hm.household_id
            from golden_member m join source_record r on r.id = m.source_record_id
            join golden_household_member hm on hm.golden_id = m.golden_id
            """, commandTimeout: 0, cancellationToken: cancellationToken));
        var formed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var golden in rows.GroupBy(r => r.Golden))
        {
            var person = golden.Select(r => personOfRecord.GetValueOrDefault(SourceRecordTruth.HubName(r.Agency, r.Key)))
                .Where(p => p is not null).GroupBy(p => p).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
            if (person is not null)
            {
                formed.TryAdd(person, golden.First().Household.ToString(CultureInfo.InvariantCulture));
            }
        }
        return HouseholdEvaluation.Score(formed, householdOfPerson);
    }
}
