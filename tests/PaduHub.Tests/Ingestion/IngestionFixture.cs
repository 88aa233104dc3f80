using System.Text;
using Dapper;
using Npgsql;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

/// <summary>A fresh database and a scratch folder per test: ingestion tests change agency state (sequences, withdrawals).</summary>
public abstract class IngestionFixture
{
    protected string ConnectionString { get; private set; } = "";
    protected string Scratch { get; private set; } = "";
    protected ExtractLoader Loader { get; private set; } = null!;

    protected static string Demo(string relative) => Path.Combine(Repository.Root, "samples", "demo", relative);

    [SetUp]
    public async Task NewDatabase()
    {
        ConnectionString = await TestDatabase.CreateAsync(GetType().Name);
        Scratch = Path.Combine(Path.GetTempPath(), $"paduhub-ingest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Scratch);
        Loader = new ExtractLoader(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "spool"));
        await Loader.RegisterAgenciesAsync();
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await TestDatabase.DropAsync(ConnectionString);
        Directory.Delete(Scratch, recursive: true);
    }

    protected Task<ExtractReceipt> Load(string agency, string path, string? name = null, CancellationToken cancellationToken = default) =>
        Loader.LoadAsync(new ExtractRequest(agency, path, name ?? Path.GetFileName(path), "cli"), cancellationToken: cancellationToken);

    /// <summary>Writes a file in the scratch folder; the name decides full or delta by the contract.</summary>
    protected string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    protected string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected async Task<T> Scalar<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    protected async Task<List<RejectedRow>> Rejections(long extractId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await ExtractReceipt.RejectedRowsAsync(connection, extractId, 1000)).ToList();
    }

    protected const string JpnHeader =
        "NO_KP,NO_KP_LAMA,NAMA,JANTINA,TARIKH_LAHIR,KOD_NEGERI_LAHIR,WARGANEGARA,ALAMAT_1,ALAMAT_2,POSKOD,BANDAR,NEGERI,STATUS_KAHWIN,NO_KP_PASANGAN,NO_KP_BAPA,NO_KP_IBU,TARIKH_MATI";

    /// <summary>A valid JPN row for a made-up person.</summary>
    protected static string JpnRow(string myKad, string name = "AHMAD FAIZ BIN ISMAIL", string dob = "") =>
        $"{myKad},,{name},L,{(dob.Length > 0 ? dob : "19" + myKad[..Math.Min(6, myKad.Length)])},14,W,\"NO 1, JALAN MAWAR 3\",TAMAN DESA,50450,KUALA LUMPUR,WP KUALA LUMPUR,BUJANG,,,,";
}
