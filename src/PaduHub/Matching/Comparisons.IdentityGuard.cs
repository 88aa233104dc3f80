namespace PaduHub.Matching;

/// <summary>
/// The identity guard: when two identifiers one edit apart are a clerk's slip and when they are two people's numbers
/// (twins, siblings born in sequence), read from the names, sexes and birth dates beside them.
/// </summary>
public static partial class Comparisons
{
    /// <summary>
    /// A number one edit from another is a typo only when the names agree: twins' and siblings' MyKads are often one
    /// digit apart (the same birth date and place, serials in sequence), and with their own names different they are
    /// two people's numbers. A whole name agrees when every word of the shorter one finds its partner in the other, or
    /// when it is a convert's new name that keeps a word of the old. Nor is it a typo between records that both state
    /// different sexes: a brother and sister, twins named alike. A slip in a MyKad's first six digits, between records
    /// that agree on the birth date those digits should spell, is a typo whatever the names: a twin's number spells the
    /// same date. So is a slip before the serial beside an English name with the surname (JASON LIM, LIM CHIN YI) or a
    /// conversion (MOHD HAZIQ BIN ABDULLAH, UNTING ANAK UNTING).
    /// </summary>
    static int IdentifierLevel(MatchRecord a, MatchRecord b)
    {
        var level = IdentifierLevel(a.Identifiers, b.Identifiers);
        if (level != 1 || a.SexStated && b.SexStated && a.Sex != b.Sex)
        {
            return level == 1 ? 0 : level;
        }
        var renamed = Converted(a, b) && KeepsAWordOf(a, b) || Converted(b, a) && KeepsAWordOf(b, a) || MarriedName(a, b) || MarriedName(b, a);
        if (!renamed && TwinsNumbers(a, b) && (OwnWordUnpaired(a, b) || OwnWordUnpaired(b, a)))
        {
            return 0;
        }
        var namesApart = (OwnNames.Differ(a, b) || WholeNamesDiffer(a, b)) && !renamed;
        return namesApart && !SlipInBirthDigits(a, b) && !(NameChanged(a, b) && SlipBeforeTheSerial(a, b)) ? 0 : level;
    }

    /// <summary>
    /// Two MyKads that differ only in the last digit, by two: the numbers twins of one sex are given one after the other
    /// (the last digit is odd for a man, even for a woman). Under names that are not the same (OOI HONG KAI, OOI HONG
    /// KAH) that is two people; a clerk's slip landing on the next twin's number while the name slips too is far rarer.
    /// </summary>
    static bool TwinsNumbers(MatchRecord a, MatchRecord b)
    {
        foreach (var x in a.Identifiers)
        {
            foreach (var y in b.Identifiers)
            {
                if (x.Kind == "MYKAD" && y.Kind == "MYKAD" && x.Value.Length == 12 && y.Value.Length == 12
                    && x.Value.AsSpan(0, 11).SequenceEqual(y.Value.AsSpan(0, 11)) && Math.Abs(x.Value[11] - y.Value[11]) == 2)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a word of one's own name has no counterpart in the other's: not there as it is, nor as an initial (LOW H
    /// TECK), nor as another spelling of the same Chinese surname (GO, GOH). Twins' names (HONG KAI and HONG KAH, AISYAH
    /// and NURUL AISYAH) have one; a name copied with a slip or a short form keeps its words.
    /// </summary>
    static bool OwnWordUnpaired(MatchRecord a, MatchRecord b)
    {
        var (own, other) = (a.OwnTokens, b.OwnTokens);
        if (own.Length == 0 || other.Length == 0)
        {
            return false;
        }
        foreach (var word in own)
        {
            var paired = false;
            foreach (var that in other)
            {
                paired |= that == word || (that.Length == 1 || word.Length == 1) && that[0] == word[0] || NameAlignment.SameClan(word, that);
            }
            if (!paired)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a MyKad's first six digits are a birth date's (yymmdd); true where no date is given.</summary>
    static bool Spells(PersonIdentifier mykad, string? born) => born is not { Length: 8 } || mykad.Value.AsSpan(0, 6).SequenceEqual(born.AsSpan(2));

    /// <summary>An English given name with the surname, or a conversion, between the two names.</summary>
    static bool NameChanged(MatchRecord a, MatchRecord b) => EnglishNameOf(a, b) || Converted(a, b) || Converted(b, a);

    /// <summary>
    /// Two MyKads one digit or one swap apart whose serials (the last four digits) agree: the slip is in the birth date
    /// or the birthplace, which twins share and only their serials tell apart. Birth dates the records give must not
    /// disagree beyond what each one's own number spells.
    /// </summary>
    static bool SlipBeforeTheSerial(MatchRecord a, MatchRecord b) =>
        MyKadsOneSlipApart(a, b, sameFrom: 8, (x, y) => a.DateOfBirth == b.DateOfBirth || Spells(x, a.DateOfBirth) && Spells(y, b.DateOfBirth));

    /// <summary>
    /// A woman's own given name with another man's in place of her father's (AGNES PETER for AGNES ANAK JOSEPH, LAKSHMI
    /// RAJU for LAKSHMI A/P MUTHU): her husband's name, taken on marriage. Her own name is kept whole, which a twin's
    /// never is, so a number one digit off between the two is a slip.
    /// </summary>
    static bool MarriedName(MatchRecord married, MatchRecord born) =>
        married.Connector is null && married.NameTokens is [var given, var husband] && given.Length > 1
        && born.Connector is "A/P" or "ANAK" && born.OwnTokens is [var own] && own == given && !born.PatronymTokens.Contains(husband)
        && married.Sex != 'M' && born.Sex != 'M';

    /// <summary>
    /// Both records give one birth date, and of two MyKads one digit apart exactly one spells it (yymmdd): the other's
    /// slip is in the date, where a different person born that day could not differ.
    /// </summary>
    static bool SlipInBirthDigits(MatchRecord a, MatchRecord b) =>
        a.DateOfBirth is { Length: 8 } born && born == b.DateOfBirth
        && MyKadsOneSlipApart(a, b, sameFrom: 6, (x, y) => Spells(x, born) != Spells(y, born));

    /// <summary>
    /// Whether a MyKad of one record and one of the other are one digit or one swap of neighbours apart, the same from
    /// digit <paramref name="sameFrom"/> on, and <paramref name="also"/> holds for the two.
    /// </summary>
    static bool MyKadsOneSlipApart(MatchRecord a, MatchRecord b, int sameFrom, Func<PersonIdentifier, PersonIdentifier, bool> also)
    {
        foreach (var x in a.Identifiers)
        {
            foreach (var y in b.Identifiers)
            {
                if (x.Kind == "MYKAD" && y.Kind == "MYKAD" && x.Value.Length == 12 && y.Value.Length == 12
                    && x.Value.AsSpan(sameFrom).SequenceEqual(y.Value.AsSpan(sameFrom)) && DigitsOneEditOrSwap(x.Digits, y.Digits) == true
                    && also(x, y))
                {
                    return true;
                }
            }
        }
        return false;
    }

    static bool WholeNamesDiffer(MatchRecord a, MatchRecord b)
    {
        if (a.FullName is null || b.FullName is null || a.FullName == b.FullName)
        {
            return false;
        }
        var (paired, na, nb) = NameAlignment.Align(a, b);
        return paired < Math.Min(na, nb);
    }
}
