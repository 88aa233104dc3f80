using System.Security.Cryptography;
using System.Text;

namespace PaduHub.Database;

/// <summary>One numbered script from sql/, e.g. 0003_extracts.sql.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}
