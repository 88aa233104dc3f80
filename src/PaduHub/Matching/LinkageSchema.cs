using System.Text.Json;

namespace PaduHub.Matching;

/// <summary>
/// How a CSV's columns map onto what matching understands. Read from a JSON file:
/// <code>{ "delimiter": ",", "columns": { "rec_id": "id", "given_name": "given_name", "address_1": "address", ... } }</code>
/// Several columns may share a role (address parts are joined in column order; several national ids each count; each
/// attribute column, an occupation or a birth place, is compared on its own).
/// Columns a file lacks are skipped, so one schema can cover two files with different layouts. Without an id column
/// a record's id is its row number (1 = first data row).
/// </summary>
public sealed class LinkageSchema
{
    public static readonly string[] Roles =
    [
        "id", "given_name", "surname", "full_name", "date_of_birth", "birth_year", "birth_month", "birth_day", "sex",
        "national_id", "mykad", "old_ic", "address", "postcode", "city", "state", "phone", "email", "attribute", "ignore",
    ];

    /// <summary>
    /// At most this many attribute columns: with every person field in use they fill the sixteen comparisons a pair's
    /// packed levels hold.
    /// </summary>
    public const int MaxAttributes = 4;

    /// <summary>
    /// Other names people give the roles, read as the role: a schema written from another tool's habits (Splink's
    /// first_name and dob, a census's gender and zip) means the same thing. Role names are read case-blind.
    /// </summary>
    static readonly Dictionary<string, string> s_roleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["record_id"] = "id",
        ["unique_id"] = "id",
        ["rec_id"] = "id",
        ["first_name"] = "given_name",
        ["forename"] = "given_name",
        ["given"] = "given_name",
        ["firstname"] = "given_name",
        ["middle_name"] = "given_name", // joined after the first name, in column order
        ["middlename"] = "given_name",
        ["last_name"] = "surname",
        ["family_name"] = "surname",
        ["lastname"] = "surname",
        ["name"] = "full_name",
        ["fullname"] = "full_name",
        ["dob"] = "date_of_birth",
        ["birth_date"] = "date_of_birth",
        ["birthdate"] = "date_of_birth",
        ["gender"] = "sex",
        ["nric"] = "mykad",
        ["ic"] = "mykad",
        ["new_ic"] = "mykad",
        ["id_number"] = "national_id",
        ["ssn"] = "national_id",
        ["soc_sec_id"] = "national_id",
        ["street"] = "address",
        ["address_line"] = "address",
        ["zip"] = "postcode",
        ["zipcode"] = "postcode",
        ["postal_code"] = "postcode",
        ["post_code"] = "postcode",
        ["town"] = "city",
        ["suburb"] = "city",
        ["locality"] = "city",
        ["phone_number"] = "phone",
        ["telephone"] = "phone",
        ["mobile"] = "phone",
        ["occupation"] = "attribute",
        ["job"] = "attribute",
        ["birth_place"] = "attribute",
        ["birthplace"] = "attribute",
        ["place_of_birth"] = "attribute",
        ["ethnicity"] = "attribute",
        ["race"] = "attribute",
        ["nationality"] = "attribute",
        ["age"] = "attribute",
        ["other"] = "attribute",
        ["skip"] = "ignore",
        ["none"] = "ignore",
    };

    /// <summary>The separator the schema states; null where it states none, and each file's header line then says (<see cref="DelimiterOf"/>).</summary>
    public string? Delimiter { get; init; }
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
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, named) in schema.Columns)
        {
            var role = named.Trim().ToLowerInvariant();
            role = s_roleNames.GetValueOrDefault(role, role);
            if (!Roles.Contains(role))
            {
                throw new ArgumentException($"schema {Path.GetFileName(path)}: column '{column}' has unknown role '{named}'; roles are {string.Join(", ", Roles)}");
            }
            columns[column.Trim()] = role;
        }
        if (columns.Count(c => c.Value == "attribute") is var attributes and > MaxAttributes)
        {
            throw new ArgumentException($"schema {Path.GetFileName(path)} has {attributes} attribute columns; at most {MaxAttributes} are compared");
        }
        if (schema.Delimiter is { Length: not 1 })
        {
            throw new ArgumentException($"schema {Path.GetFileName(path)}: delimiter must be one character");
        }
        return new LinkageSchema { Delimiter = schema.Delimiter, Columns = columns };
    }

    /// <summary>
    /// The separator of one file: the one its first line names the way Excel writes it (<c>sep=;</c>), else the
    /// schema's, or where it states none, whichever of comma, semicolon, tab and bar its header line holds most often
    /// outside quotes (a comma where it holds none of them: a file of one column).
    /// </summary>
    public char DelimiterOf(string file)
    {
        using var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? "";
        if (SeparatorLine(header) is { } named)
        {
            return named;
        }
        if (Delimiter is { } stated)
        {
            return stated[0];
        }
        var (best, most) = (',', 0);
        foreach (var candidate in ",;\t|")
        {
            var (count, quoted) = (0, false);
            foreach (var c in header)
            {
                quoted ^= c == '"';
                count += !quoted && c == candidate ? 1 : 0;
            }
            if (count > most)
            {
                (best, most) = (candidate, count);
            }
        }
        return best;
    }

    /// <summary>The separator a first line such as Excel's <c>sep=;</c> names, or null where the line is no such thing.</summary>
    public static char? SeparatorLine(string line) =>
        line.TrimEnd().Length == 5 && line.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) ? line[4] : null;

    /// <summary>
    /// The role of a file's column: the schema's column of that name, or where none is spelled exactly so, the one
    /// spelled the same but for case (a header "DOB" for a schema's "dob").
    /// </summary>
    public string? RoleOf(string header) => ColumnOf(header) is { } column ? Columns[column] : null;

    /// <summary>The schema's column a file's header is: the one spelled so, else the first spelled so but for case.</summary>
    public string? ColumnOf(string header) => Columns.ContainsKey(header) ? header
        : Columns.Keys.FirstOrDefault(column => string.Equals(column, header, StringComparison.OrdinalIgnoreCase));

    /// <summary>The columns of role attribute, in the schema's order: each is a slot of a record's attributes, compared on its own.</summary>
    public List<string> Attributes => [.. Columns.Where(c => c.Value == "attribute").Select(c => c.Key)];
}
