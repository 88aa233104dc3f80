using System.Globalization;
using System.Text;

namespace PaduHub.Samples.Agencies;

/// <summary>One record an agency holds about one person (or, for a utility, one account).</summary>
public sealed record AgencyRecord(string Key, Person Person, AgencyView View, object? Detail = null);

/// <summary>
/// An agency's extract layout and what it knows. Each agency answers from the household's current state, so a
/// full extract is "every record now" and a daily delta is the difference before and after the day's events.
/// </summary>
public abstract class Agency
{
    public static readonly Encoding Utf8 = new UTF8Encoding(false);
    public static readonly Encoding Utf8WithBom = new UTF8Encoding(true);
    public static readonly Encoding Windows1252 = CodePages(1252);

    static Encoding CodePages(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }

    public abstract string Code { get; }
    public abstract string FileStem { get; }
    public virtual string Extension => "csv";
    public abstract Encoding Encoding { get; }
    public virtual char Delimiter => ',';
    public virtual string NewLine => "\n";
    public virtual bool QuoteAll => false;
    public abstract string[] Header { get; }
    /// <summary>The registration department is authoritative: its records carry no clerical noise.</summary>
    public virtual bool Authoritative => false;
    public virtual bool InfantsUnnamed => false;
    /// <summary>Whether some of its records hold the whole address, postcode, town and state in the address column.</summary>
    public virtual bool PrintsOneLineAddress => false;

    public abstract IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view);

    public abstract string?[] Render(AgencyRecord record, Household household);

    public ExtractWriter FullExtract(string outDir) =>
        new(Path.Combine(outDir, "extracts", $"{FileStem}_full.{Extension}"), $"extracts/{FileStem}_full.{Extension}",
            Encoding, Delimiter, NewLine, QuoteAll, Header);

    public ExtractWriter Delta(string outDir, int sequence) =>
        new(Path.Combine(outDir, "deltas", $"{FileStem}_delta_{sequence:D4}.{Extension}"), $"deltas/{FileStem}_delta_{sequence:D4}.{Extension}",
            Encoding, Delimiter, NewLine, QuoteAll, ["OP", "SEQ", .. Header]);

    public static readonly Agency[] All = [new Jpn(), new Lhdn(), new Kwsp(), new Jkm(), new Tnb()];

    protected static string Date(DateOnly? date, string format) => date?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    protected static string Money(double amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    protected static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Unit, street and area on one line, the way most systems print it.</summary>
    protected static string OneLine(Address a) => string.Join(", ", new[] { a.Unit, a.Street, a.Area }.Where(p => p.Length > 0));
}
