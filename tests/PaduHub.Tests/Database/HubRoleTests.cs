using Dapper;
using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests.Database;

/// <summary>
/// What the hub works as (migration 0015): padu_hub owns the data it writes and reshapes, may add to and read the
/// access audit, and can do nothing else to it; no superuser powers either.
/// </summary>
[NonParallelizable]
public sealed class HubRoleTests
{
    string _admin = "";
    string _hub = "";

    [OneTimeSetUp]
    public async Task Migrate()
    {
        _admin = await TestDatabase.CreateAsync("hubrole");
        var password = Secrets.NewPassword();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.ExecuteAsync($"alter role {PaduDatabase.HubRole} login password '{password}'");
        _hub = new NpgsqlConnectionStringBuilder(_admin) { Username = PaduDatabase.HubRole, Password = password, Pooling = false }.ConnectionString;
    }

    [OneTimeTearDown]
    public Task Drop() => TestDatabase.DropAsync(_admin);

    async Task<string?> Refusal(string sql)
    {
        await using var connection = new NpgsqlConnection(_hub);
        try
        {
            await connection.ExecuteAsync(sql);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    [Test]
    public async Task The_hub_adds_to_the_audit_and_reads_it_and_can_do_nothing_else_to_it()
    {
        await using var hub = new NpgsqlConnection(_hub);
        await hub.ExecuteAsync("insert into access_audit (client_name, action, status) values ('test', 'GET /x', 200)");
        Assert.That(await hub.ExecuteScalarAsync<long>("select count(*) from access_audit"), Is.EqualTo(1));

        Assert.That(await Refusal("update access_audit set status = 500"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await Refusal("delete from access_audit"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await Refusal("truncate access_audit"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await Refusal("alter table access_audit disable trigger access_audit_append_only"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await Refusal("set session_replication_role = replica"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await Refusal("drop function access_audit_append_only() cascade"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    public async Task The_hub_owns_the_data_it_reshapes_and_its_job_storage()
    {
        Assert.That(await Refusal("truncate golden_member"), Is.Null);
        Assert.That(await Refusal("create table source_record_9 (like source_record including defaults); drop table source_record_9"), Is.Null);
        Assert.That(await Refusal("analyze source_record"), Is.Null);
        Assert.That(await Refusal("select nextval('golden_person_id_seq')"), Is.Null);
        Assert.That(await Refusal("create table hangfire.job_probe (id int); drop table hangfire.job_probe"), Is.Null);
        await using var admin = new NpgsqlConnection(_admin);
        Assert.That(await admin.ExecuteScalarAsync<string>("select pg_get_userbyid(relowner) from pg_class where relname = 'access_audit'"),
            Is.Not.EqualTo(PaduDatabase.HubRole));
    }
}
