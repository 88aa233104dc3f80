using System.Text.Json;

namespace PaduHub.Matching;

/// <summary>
/// How a CSV's columns map onto what matching understands. Read from a JSON file:
/// <code>{ "delimiter": ",", "columns": { "rec_id": "id", "given_name": "given_name", "address_1": "address", ... } }</code>
/// Several columns may share a role (address parts are joined in column order; several national ids each count).
/// Columns a file lacks are skipped, so one schema can cover two files with different layouts. Without an id column
/// a record's id is its row number (1 = first data row).
/// </summary>
public sealed class LinkageSchema
{
    public static readonly string[] Roles =
    [
        "id", "given_name", "surname", "full_name", "date_of_birth", "birth_year", "birth_month", "birth_day", "sex",
        "national_id", "mykad", "old_ic", "address", "postcode", "city", "state", "phone", "email", "ignore",
    ];

    public string Delimiter { get; init; } = ",";
    public Dictionary<string, string> Columns { get; init; } = [];

    public static LinkageSchema Load(string path)
    {
        LinkageSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<LinkageSchema>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"schema {Path.GetFileName(path)} is not valid JSON: {e.Message}");
        }
        if (schema is null || schema.Columns.Count == 0)
        {
            throw new ArgumentException($"schema {Path.GetFileName(path)} maps no columns; it needs \"columns\": {{ \"column\": \"role\" }}");
        }
        foreach (var (column, role) in schema.Columns)
        {
            if (!Roles.Contains(role))
            {
                throw new ArgumentException($"schema {Path.GetFileName(path)}: column '{column}' has unknown role '{role}'; roles are {string.Join(", ", Roles)}");
            }
        }
        if (schema.Delimiter.Length != 1)
        {
            throw new ArgumentException($"schema {Path.GetFileName(path)}: delimiter must be one character");
        }
        return schema;
    }
}
