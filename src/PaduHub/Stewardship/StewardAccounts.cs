using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace PaduHub.Stewardship;

/// <summary>
/// Local sign-in for the steward workbench, suitable for a hub run inside a ministry's own network: accounts in
/// <c>steward_account</c>, passwords kept only as salted PBKDF2-SHA256 hashes. A deployment behind a single sign-on
/// would replace <see cref="SignInAsync"/> and keep the rest.
/// </summary>
public static partial class StewardAccounts
{
    public const string Steward = "steward";
    public const string Supervisor = "supervisor";
    const int Iterations = 210_000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256

    [GeneratedRegex("^[a-z][a-z0-9._-]{1,39}$")]
    private static partial Regex NameShape();

    public static async Task<StewardAccount> AddAsync(string connectionString, string name, string displayName, string role, string password,
        CancellationToken cancellationToken = default)
    {
        if (!NameShape().IsMatch(name))
        {
            throw new ArgumentException("a steward's name is 2 to 40 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter", nameof(name));
        }
        if (role is not (Steward or Supervisor))
        {
            throw new ArgumentException($"role must be {Steward} or {Supervisor}", nameof(role));
        }
        if (password.Length < 12)
        {
            throw new ArgumentException("a password must be at least 12 characters", nameof(password));
        }
        await using var connection = new NpgsqlConnection(connectionString);
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            insert into steward_account (name, display_name, role, password_hash) values (@name, @displayName, @role, @hash)
            on conflict (name) do nothing
            """, new { name, displayName, role, hash = Hash(password) }, cancellationToken: cancellationToken));
        return added == 1 ? new StewardAccount(name, displayName, role) : throw new ArgumentException($"a steward named {name} already exists", nameof(name));
    }

    /// <summary>The account when the name and password match an account that is not disabled; null otherwise, taking
    /// the same time whether or not the name exists.</summary>
    public static async Task<StewardAccount?> SignInAsync(string connectionString, string name, string password, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var row = await connection.QuerySingleOrDefaultAsync<(string Name, string DisplayName, string Role, string Hash)?>(new CommandDefinition(
            "select name, display_name, role, password_hash from steward_account where name = @name and disabled_at is null",
            new { name = name.Trim().ToLowerInvariant() }, cancellationToken: cancellationToken));
        var matches = Verify(password, row?.Hash ?? s_decoy);
        return row is { } r && matches ? new StewardAccount(r.Name, r.DisplayName, r.Role) : null;
    }

    /// <summary>One account as an operator lists it.</summary>
    public sealed record Listed(string Name, string DisplayName, string Role, DateTime CreatedAt, DateTime? DisabledAt);

    public static async Task<List<Listed>> ListAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return [.. (await connection.QueryAsync<(string Name, string DisplayName, string Role, DateTime CreatedAt, DateTime? DisabledAt)>(new CommandDefinition(
            "select name, display_name, role, created_at, disabled_at from steward_account order by name", cancellationToken: cancellationToken)))
            .Select(a => new Listed(a.Name, a.DisplayName, a.Role, a.CreatedAt, a.DisabledAt))];
    }

    /// <summary>
    /// Stops an account signing in, and ends its open sessions at their next page (the pages ask <see cref="IsActiveAsync"/>).
    /// Its decisions stay as they are, with its name. Audited with who disabled it. False when no active account has the name.
    /// </summary>
    public static async Task<bool> DisableAsync(string connectionString, string name, string operatorName, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var disabled = await connection.ExecuteAsync(new CommandDefinition(
            "update steward_account set disabled_at = now() where name = @name and disabled_at is null", new { name }, cancellationToken: cancellationToken)) == 1;
        if (disabled)
        {
            await Access.ApiClients.AuditChangeAsync(connection, operatorName, "disable steward account", $"steward:{name}", cancellationToken);
        }
        return disabled;
    }

    /// <summary>Whether the account may still use the pages: it exists and is not disabled.</summary>
    public static async Task<bool> IsActiveAsync(string connectionString, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from steward_account where name = @name and disabled_at is null)", new { name }, cancellationToken: cancellationToken));
    }

    static readonly string s_decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256,
            expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A password for a new account: 18 random bytes, URL-safe.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
