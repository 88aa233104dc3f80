using System.Text.RegularExpressions;

namespace PaduHub.Identity;

/// <summary>
/// What kind of identity document a number is, by its shape: a MyKad has twelve digits; an old IC seven digits or a
/// letter and seven; police and army numbers, birth certificates and passports shapes of their own. Agencies put old
/// ICs and service numbers in their IC column; matched as MyKads they would never meet the same number held as
/// what it is.
/// </summary>
public static partial class IdentifierKinds
{
    /// <summary>The document type a number's shape suggests.</summary>
    public static string Infer(string value)
    {
        var digits = MyKad.Digits(value);
        if (digits is { Length: 12 })
        {
            return "MYKAD";
        }
        var upper = value.Trim().ToUpperInvariant();
        return upper switch
        {
            _ when PoliceNumber().IsMatch(upper) => "POLICE",
            _ when ArmyNumber().IsMatch(upper) => "ARMY",
            _ when OldIc().IsMatch(upper) => "OLD_IC",
            _ when BirthCertificate().IsMatch(upper) => "BIRTH_CERT",
            _ when Passport().IsMatch(upper) => "PASSPORT",
            _ => "OTHER",
        };
    }

    [GeneratedRegex(@"^RF\d{6}$")] private static partial Regex PoliceNumber();
    [GeneratedRegex(@"^T\d{7}$")] private static partial Regex ArmyNumber();
    [GeneratedRegex(@"^[A-Z]?\d{7}$")] private static partial Regex OldIc();
    [GeneratedRegex(@"^[A-Z]{2}\d{6}$")] private static partial Regex BirthCertificate();
    [GeneratedRegex(@"^[A-Z]\d{8}$")] private static partial Regex Passport();

    /// <summary>
    /// The kind to compare a number as: the kind it was sent as, unless it was sent as a MyKad or an old IC and its shape
    /// says it is another document (an old IC or an army number in the IC column, a MyKad in the old-IC column).
    /// </summary>
    public static string Of(string sentAs, string value)
    {
        if (sentAs is not ("MYKAD" or "OLD_IC"))
        {
            return sentAs;
        }
        var shape = Infer(value);
        return shape is "MYKAD" or "OLD_IC" or "POLICE" or "ARMY" ? shape : sentAs;
    }
}
