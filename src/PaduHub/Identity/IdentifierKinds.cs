using System.Text.RegularExpressions;

namespace PaduHub.Identity;

/// <summary>
/// What kind of identity document a number is, by its shape: a MyKad has twelve digits; an old IC seven or eight
/// digits, or a letter and seven; police and army numbers, birth certificates and passports shapes of their own.
/// Agencies put old ICs, service numbers and passports in their IC column; matched as MyKads they would never meet
/// the same number held as what it is, and would count as a different MyKad against the person's real one.
/// </summary>
public static partial class IdentifierKinds
{
    /// <summary>The kinds a number in an IC column can turn out to be, besides a MyKad.</summary>
    public static readonly string[] Shapes = ["MYKAD", "OLD_IC", "POLICE", "ARMY", "BIRTH_CERT", "PASSPORT", "OTHER"];

    /// <summary>The document type a number's shape suggests; OTHER when no shape fits.</summary>
    public static string Infer(string value)
    {
        var digits = MyKad.Digits(value);
        if (digits is { Length: 12 })
        {
            return "MYKAD";
        }
        // Separators inside a service number (RF/123456, T.1234567) are habits of typing, not part of the number.
        var compact = Compact(value);
        return compact switch
        {
            _ when PoliceNumber().IsMatch(compact) => "POLICE",
            _ when ArmyNumber().IsMatch(compact) => "ARMY",
            _ when OldIc().IsMatch(compact) => "OLD_IC",
            _ when BirthCertificate().IsMatch(compact) => "BIRTH_CERT",
            _ when Passport().IsMatch(compact) => "PASSPORT",
            _ => "OTHER",
        };
    }

    [GeneratedRegex(@"^(RF|RP|G)\d{4,7}$")] private static partial Regex PoliceNumber();
    [GeneratedRegex(@"^T\d{7}$")] private static partial Regex ArmyNumber();
    [GeneratedRegex(@"^([A-Z]\d{7}|\d{7,8})$")] private static partial Regex OldIc();
    [GeneratedRegex(@"^[A-Z]{2}\d{6}$")] private static partial Regex BirthCertificate();
    [GeneratedRegex(@"^[A-Z]{1,2}\d{7,8}$")] private static partial Regex Passport();

    static string Compact(string value)
    {
        Span<char> buffer = stackalloc char[Math.Min(value.Length, 64)];
        var n = 0;
        foreach (var c in value)
        {
            if (c is '-' or '/' or '.' or ' ' or '\t')
            {
                continue;
            }
            if (n == buffer.Length)
            {
                return value.ToUpperInvariant();
            }
            buffer[n++] = char.ToUpperInvariant(c);
        }
        return new string(buffer[..n]);
    }

    /// <summary>
    /// The kind to compare a number as. A number sent as a MyKad, an old IC or a national id of no stated kind is
    /// compared as the document its shape says: an old IC or an army number in the IC column, a MyKad in the old-IC
    /// column, a passport or a birth certificate where a MyKad was expected. A MyKad a digit short or long is still a
    /// (mistyped) MyKad. A shape nothing fits is kept as OTHER: compared only with other such numbers, never as a
    /// MyKad. Any other stated kind (a passport column, a tax number) is taken at its word.
    /// </summary>
    public static string Of(string sentAs, string value)
    {
        if (sentAs is not ("MYKAD" or "OLD_IC" or "NATIONAL_ID"))
        {
            return sentAs;
        }
        var shape = Infer(value);
        if (sentAs == "NATIONAL_ID")
        {
            // A column of some other country's numbers stays one kind; only Malaysian documents are told apart in it.
            return shape is "MYKAD" or "OLD_IC" or "POLICE" or "ARMY" ? shape : sentAs;
        }
        if (shape == "OTHER" && sentAs == "MYKAD" && MyKad.Digits(value) is { Length: 11 or 13 })
        {
            return "MYKAD";
        }
        return shape;
    }
}
