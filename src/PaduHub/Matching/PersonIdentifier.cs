namespace PaduHub.Matching;

/// <summary>An identifier a person carries: a MyKad, old IC, army or police number, passport, or a dataset's national id.</summary>
public readonly record struct PersonIdentifier(string Kind, string Value)
{
    /// <summary>
    /// The value's digits four bits each, first digit lowest, the unused high bits all ones: two all-digit values of up to
    /// 16 digits are equal exactly when these are, and a substitution or a swap of neighbours shows in which four-bit
    /// places differ, without reading either string (comparing identifiers was a seventh of comparing, most of it
    /// waiting for the strings' memory). <see cref="NotDigits"/> for anything else. Worked out when the identifier is
    /// made, so make a new one rather than copy one <c>with</c> another value.
    /// </summary>
    public ulong Digits { get; } = PackDigits(Value);

    public const ulong NotDigits = ulong.MaxValue;

    static ulong PackDigits(string value)
    {
        if (value.Length is 0 or > 16)
        {
            return NotDigits;
        }
        var packed = ulong.MaxValue;
        for (var i = 0; i < value.Length; i++)
        {
            var digit = (uint)(value[i] - '0');
            if (digit > 9)
            {
                return NotDigits;
            }
            packed &= ~(0xFUL << (4 * i));
            packed |= (ulong)digit << (4 * i);
        }
        return packed;
    }
}
