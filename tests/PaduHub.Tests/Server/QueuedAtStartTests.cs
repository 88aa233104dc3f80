using Dapper;
using Npgsql;

namespace PaduHub.Tests.Server;

/// <summary>
/// Records still queued for matching when the hub starts are matched: a stop between an extract's load and its matching
/// job leaves them so, and so does a database crash that undid an incremental run (those commits do not wait for the disk).
/// </summary>
[NonParallelizable]
public sealed class QueuedAtStartTests : DemoServerFixture
{
    long _queued;

    protected override async Task PrepareAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        _queued = await connection.ExecuteScalarAsync<long>("select id from source_record where status = 'active' order by id limit 1");
        await connection.ExecuteAsync("insert into match_queue (source_record_id, extract_id) values (@id, 0)", new { id = _queued });
    }

    [Test]
    public async Task The_hub_matches_a_queue_it_finds_when_it_starts()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await connection.ExecuteScalarAsync<bool>("select exists (select 1 from match_queue)") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.That(await connection.ExecuteScalarAsync<bool>("select exists (select 1 from match_queue)"), Is.False, "the queue was matched");
        Assert.That(await connection.ExecuteScalarAsync<int>(
            "select count(*) from match_run where kind = 'incremental' and finished_at is not null and records = 1"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from golden_member where source_record_id = @id)", new { id = _queued }), Is.True);
    }
}
