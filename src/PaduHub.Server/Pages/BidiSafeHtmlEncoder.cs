using System.Text.Encodings.Web;

namespace PaduHub.Server.Pages;

/// <summary>
/// The pages' HTML encoder: the framework's, except that the characters which reorder text (U+202A to U+202E, U+2066
/// to U+2069, the marks U+200E, U+200F and U+061C) come out as a visible replacement mark. A name sent with a
/// right-to-left override would otherwise show a steward something other than what the record holds; encoded as an
/// entity, the browser would still obey it.
/// </summary>
sealed class BidiSafeHtmlEncoder(HtmlEncoder inner) : HtmlEncoder
{
    const string Replacement = "&#xFFFD;";

    public static bool Reorders(int scalar) => scalar is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C;

    public override int MaxOutputCharactersPerInputCharacter => Math.Max(inner.MaxOutputCharactersPerInputCharacter, Replacement.Length);

    public override bool WillEncode(int unicodeScalar) => Reorders(unicodeScalar) || inner.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var first = inner.FindFirstCharacterToEncode(text, textLength);
        var end = first < 0 ? textLength : first;
        for (var i = 0; i < end; i++)
        {
            if (Reorders(text[i]))
            {
                return i;
            }
        }
        return first;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!Reorders(unicodeScalar))
        {
            return inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        }
        numberOfCharactersWritten = 0;
        if (bufferLength < Replacement.Length)
        {
            return false;
        }
        foreach (var c in Replacement)
        {
            buffer[numberOfCharactersWritten++] = c;
        }
        return true;
    }
}
